package fleet

import (
	"context"
	"log/slog"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/webhooks"
	"github.com/polar-mcp/polar-mcp/polar/cache"
)

// kindDelivery is published for a verified webhook that makes nothing
// stale: every instance learns that the organization's webhooks arrive.
const kindDelivery Kind = "delivery"

// resubscribe is how long Run waits before subscribing again after the
// bus refused.
const resubscribe = time.Second

// Run applies the fleet's invalidations to this process's caches and
// change subscribers until ctx ends, and with Redis asks it every second
// whether it answers (see watchRedis).
func (f *Fleet) Run(ctx context.Context) {
	go f.watchRedis(ctx)
	for ctx.Err() == nil {
		err := f.bus.Subscribe(ctx, f.apply)
		if err == nil {
			<-ctx.Done()
			return
		}
		f.log.Warn("fleet: cannot subscribe to invalidations; retrying", slog.String("error", err.Error()))
		select {
		case <-ctx.Done():
		case <-time.After(resubscribe):
		}
	}
}

// watchRedis checks Redis every RetryInterval (a second) until ctx ends,
// so that an outage is noticed, and sharing resumes, without waiting for
// traffic to try it.
func (f *Fleet) watchRedis(ctx context.Context) {
	if f.budget == nil {
		return
	}
	t := time.NewTicker(f.budget.RetryInterval())
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			_ = f.budget.Check(ctx)
		}
	}
}

// Publish sends what a verified webhook event makes stale to every
// instance (this one included). An event that changes nothing kept is
// still published as a delivery, so that every instance knows the
// organization's webhooks arrive. A delivery to the single merchant's
// endpoint is marked Merchant and carries the merchant's organization
// only (never one its payload names): it reaches the merchant's cache
// and its organization's, never another tenant's. When the bus cannot
// take it (Redis away), it is applied here at least.
func (f *Fleet) Publish(ctx context.Context, ev webhooks.Event) {
	merchant := ev.Connection == ""
	var invs []Invalidation
	for _, c := range webhooks.Map(ev) {
		invs = append(invs, invalidation(c))
	}
	if len(invs) == 0 {
		invs = []Invalidation{{Org: ev.Org, Kind: kindDelivery}}
	}
	for _, inv := range invs {
		if merchant {
			inv.Org, inv.Merchant = ev.Org, true
		}
		if err := f.bus.Publish(ctx, inv); err != nil {
			f.log.Warn("fleet: invalidation not sent to the other instances; applied here only", slog.String("kind", string(inv.Kind)),
				slog.String("error", err.Error()))
			f.apply(inv)
		}
	}
}

// invalidation is the fleet's message for a webhook's change: the same
// scope, the email only as HashEmail's hash, and the event's record to
// write through (webhooks.Carries), which every instance applies alike.
func invalidation(c webhooks.Change) Invalidation {
	inv := Invalidation{Org: c.Org, CustomerID: c.CustomerID, MemberID: c.MemberID,
		Event: c.Event, Record: c.Record, At: c.At}
	switch c.Scope {
	case webhooks.ScopeCustomer:
		inv.Kind = KindCustomer
	case webhooks.ScopeBilling:
		inv.Kind = KindBilling
	case webhooks.ScopeCatalog:
		inv.Kind = KindCatalog
	case webhooks.ScopeOrganization:
		inv.Kind = KindOrganization
	case webhooks.ScopeMember:
		inv.Kind = KindMember
	}
	if c.Email != "" {
		inv.EmailHash = HashEmail(c.Email)
	}
	return inv
}

// apply drops what inv makes stale in this process: the caches of its
// organization, the single merchant's when it is Merchant, and every
// cache only for a KindAll that names no organization (missed messages).
func (f *Fleet) apply(inv Invalidation) {
	f.mu.Lock()
	if inv.Org != "" && inv.Kind != KindAll {
		f.last[inv.Org] = f.now()
	}
	everything := inv.Kind == KindAll && inv.Org == "" && !inv.Merchant
	var targets []*cache.Client
	for org, m := range f.caches {
		for c, conn := range m {
			if everything || (inv.Org != "" && org == inv.Org) || (inv.Merchant && conn == "") {
				targets = append(targets, c)
			}
		}
	}
	f.mu.Unlock()
	for _, c := range targets {
		forget(c, inv)
	}
	f.notify(inv)
}

// forget applies inv to c: an event's record is written through when c
// can (cache.Client.WriteThrough); otherwise what inv's kind names is
// dropped.
func forget(c *cache.Client, inv Invalidation) {
	if inv.Event != "" && c.WriteThrough(inv.Event, []byte(inv.Record), inv.At) {
		return
	}
	switch inv.Kind {
	case KindCustomer:
		if inv.CustomerID != "" {
			c.ForgetCustomer(inv.CustomerID)
		}
		if inv.EmailHash != "" {
			c.ForgetEmailHash(inv.EmailHash)
		}
	case KindBilling:
		if inv.CustomerID != "" {
			c.ForgetBilling(inv.CustomerID)
		}
	case KindMember:
		c.MemberStale(inv.CustomerID, inv.MemberID)
	case KindCatalog, KindOrganization:
		c.ForgetCatalog()
	case KindAll:
		c.ForgetAll()
	}
}
