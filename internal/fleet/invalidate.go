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
// change subscribers until ctx ends.
func (f *Fleet) Run(ctx context.Context) {
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

// Publish sends what a verified webhook event makes stale to every
// instance (this one included). An event that changes nothing kept is
// still published as a delivery, so that every instance knows the
// organization's webhooks arrive.
func (f *Fleet) Publish(ctx context.Context, ev webhooks.Event) {
	var invs []Invalidation
	for _, c := range webhooks.Map(ev) {
		invs = append(invs, invalidation(c))
	}
	if len(invs) == 0 {
		invs = []Invalidation{{Org: ev.Org, Kind: kindDelivery}}
	}
	for _, inv := range invs {
		if err := f.bus.Publish(ctx, inv); err != nil {
			f.log.Warn("fleet: invalidation not sent to the other instances", slog.String("kind", string(inv.Kind)),
				slog.String("error", err.Error()))
		}
	}
}

// invalidation is the fleet's message for a webhook's change: the same
// scope, and the email only as HashEmail's hash.
func invalidation(c webhooks.Change) Invalidation {
	inv := Invalidation{Org: c.Org, CustomerID: c.CustomerID}
	switch c.Scope {
	case webhooks.ScopeCustomer:
		inv.Kind = KindCustomer
	case webhooks.ScopeBilling:
		inv.Kind = KindBilling
	case webhooks.ScopeCatalog:
		inv.Kind = KindCatalog
	case webhooks.ScopeOrganization:
		inv.Kind = KindOrganization
	}
	if c.Email != "" {
		inv.EmailHash = HashEmail(c.Email)
	}
	return inv
}

// apply drops what inv makes stale in this process.
func (f *Fleet) apply(inv Invalidation) {
	f.mu.Lock()
	if inv.Org != "" && inv.Kind != KindAll {
		f.last[inv.Org] = f.now()
	}
	var targets []*cache.Client
	for org, m := range f.caches {
		if inv.Org == "" || org == inv.Org {
			for c := range m {
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

func forget(c *cache.Client, inv Invalidation) {
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
	case KindCatalog, KindOrganization:
		c.ForgetCatalog()
	case KindAll:
		c.ForgetAll()
	}
}
