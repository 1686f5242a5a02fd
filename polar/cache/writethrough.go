package cache

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/polar-mcp/polar-mcp/polar"
)

// Webhook write-through
//
// A webhook that carries its record (webhooks.Carries) is applied by
// WriteThrough: the record is written into the kept answers it belongs to
// where the payload fully determines them (a subscription into its
// customer's subscription list, an order into each kept page of orders
// keeping their order and bounds, a grant into the grants lists, the
// customer state as a whole, a customer's email lookup, a member into the
// member index), and what it does not determine is dropped precisely.
// Every write is ordered per record: an event older than one already
// applied (by modified_at, else the event's timestamp) changes nothing.
// A record is written only when it is whole: its embedded customer is
// there and agrees with its customer_id, so that the tools can check it
// against the caller as they check what Polar answers; it is written only
// into the answers kept about that customer (by Polar id, or by the
// external id it carries).

// maxVersions bounds versions; past it, what it knows is dropped (an
// event older than a forgotten version is then written as if newer, as
// it would have been before any version was known).
const maxVersions = 100_000

// versions is the newest change seen of each record a webhook wrote
// through (its modified_at, else the event's timestamp), so that an
// older event arriving later changes nothing.
type versions struct {
	mu sync.Mutex
	m  map[string]time.Time
}

// advance records v as id's version and reports true, unless a newer or
// equal one is known.
func (vs *versions) advance(id string, v time.Time) bool {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	if old, ok := vs.m[id]; ok && !v.After(old) {
		return false
	}
	vs.set(id, v)
	return true
}

// atLeast makes id's version v unless a newer one is known: for a drop,
// after which no record older than v may be written.
func (vs *versions) atLeast(id string, v time.Time) {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	if old, ok := vs.m[id]; ok && !v.After(old) {
		return
	}
	vs.set(id, v)
}

func (vs *versions) set(id string, v time.Time) {
	if vs.m == nil || len(vs.m) >= maxVersions {
		vs.m = map[string]time.Time{}
	}
	vs.m[id] = v
}

// recordMeta is what ordering and ownership read of any record.
type recordMeta struct {
	ID         string     `json:"id"`
	ModifiedAt *time.Time `json:"modified_at"`
	CreatedAt  *time.Time `json:"created_at"`
	CustomerID string     `json:"customer_id"`
}

// decodeRecord decodes a webhook's record raw as Polar's type T and as
// M, the fields its version and owner are read from (recordMeta,
// grantMeta). ok is false when raw is not JSON of that shape.
func decodeRecord[T, M any](raw []byte) (rec T, meta M, ok bool) {
	if json.Unmarshal(raw, &rec) != nil || json.Unmarshal(raw, &meta) != nil {
		return rec, meta, false
	}
	return rec, meta, true
}

// version is the record's version: its modified_at, else the event's
// timestamp at, else its created_at.
func (m recordMeta) version(at time.Time) time.Time {
	switch {
	case m.ModifiedAt != nil:
		return *m.ModifiedAt
	case !at.IsZero() || m.CreatedAt == nil:
		return at
	default:
		return *m.CreatedAt
	}
}

// WriteThrough applies a webhook event of type event whose data is raw
// (as Polar sent it), sent at at. It reports whether the event was
// handled: written through, dropped precisely, or ignored as older than
// what was applied; false means the payload is not a whole record this
// cache can apply, and the caller should drop the customer's entries
// (ForgetBilling, ForgetCustomer, MemberStale) as before.
func (c *Client) WriteThrough(event string, raw []byte, at time.Time) bool {
	kind, action, _ := strings.Cut(event, ".")
	switch kind {
	case "subscription":
		return c.WriteSubscription(raw, at)
	case "order":
		return c.writeOrder(action, raw, at)
	case "benefit_grant":
		return c.writeGrant(raw, at)
	case "refund":
		return c.dropRefund(raw, at)
	case "customer_seat":
		return c.dropSeat(raw, at)
	case "member":
		return c.writeMember(action, raw, at)
	case "customer":
		if action == "state_changed" {
			return c.writeState(raw, at)
		}
		return c.writeCustomer(action, raw, at)
	}
	return false
}

// whole reports whether a record's embedded customer is there and agrees
// with its customer_id (when it has one).
func whole(customerID string, emb *polar.Customer) bool {
	return emb != nil && emb.ID != "" && (customerID == "" || customerID == emb.ID)
}

// ownersOf are the owners of the answers kept about customer emb: by its
// Polar id, and by its external id when it has one.
func ownersOf(emb *polar.Customer) []string {
	owners := []string{emb.ID}
	if ext := emb.External(); ext != "" {
		owners = append(owners, externalOwner(ext))
	}
	return owners
}

// updateKept applies fn to each answer kept under a key starting with
// prefix that one of owners owns (see lru.update).
func (c *Client) updateKept(owners []string, prefix string, fn func(key string, v any) (any, bool)) {
	if c.store == nil {
		return
	}
	now := c.now()
	for _, owner := range owners {
		for _, key := range c.store.keysOf(owner, prefix) {
			c.store.update(key, now, func(v any) (any, bool) { return fn(key, v) })
		}
	}
}

// dropKept drops the answers kept under a key starting with one of
// prefixes that one of owners owns.
func (c *Client) dropKept(owners []string, prefixes ...string) {
	if c.store == nil {
		return
	}
	for _, owner := range owners {
		c.store.removeOwnerIf(owner, func(key string) bool {
			for _, p := range prefixes {
				if strings.HasPrefix(key, p) {
					return true
				}
			}
			return false
		})
	}
}

// WriteSubscription applies a subscription.* webhook whose data is raw
// (Polar's Subscription, with its customer embedded), sent at: the
// subscription replaces its older copy in the customer's kept lists (by
// Polar id and by external id), so the change is visible at once without
// asking Polar again; the kept customer state has it among its active
// subscriptions while it is active or trialing (customer.state_changed
// then writes the whole state); that subscription's seats, which it does
// not determine, are dropped. An event older than one already written changes
// nothing. It reports whether the event was handled (written, or ignored
// as older); false means the payload is not a whole record, and the
// caller should drop the customer's billing instead.
func (c *Client) WriteSubscription(raw []byte, at time.Time) bool {
	sub, meta, ok := decodeRecord[polar.Subscription, recordMeta](raw)
	if !ok || sub.ID == "" {
		return false
	}
	// Only a whole record is written: one whose embedded customer the
	// tools can check against the caller, with its status.
	if !whole(sub.CustomerID, sub.Customer) || sub.Status == "" {
		return false
	}
	v := meta.version(at)
	if !c.vers.advance("subscription\x00"+sub.ID, v) {
		return true // an older event: the newer record stays
	}
	c.gen.Add(1) // reads in flight keep nothing older
	c.subOwners.learn([]polar.Subscription{sub})
	owners := ownersOf(sub.Customer)
	c.patchState(sub.Customer.ID, owners, at, v, func(st *polar.CustomerState) {
		st.ActiveSubscriptions = slices.DeleteFunc(st.ActiveSubscriptions, func(s polar.Subscription) bool { return s.ID == sub.ID })
		if sub.Status == "active" || sub.Status == "trialing" {
			cp := sub
			cp.Customer = nil // a state's subscriptions embed no customer
			st.ActiveSubscriptions = append(st.ActiveSubscriptions, cp)
		}
	})
	if c.store != nil {
		c.store.remove("seats\x00" + sub.ID)
	}
	c.updateKept(owners, "subscriptions\x00", func(_ string, val any) (any, bool) {
		list, ok := val.([]polar.Subscription)
		if !ok {
			return nil, false
		}
		list = slices.Clone(list)
		if i := slices.IndexFunc(list, func(s polar.Subscription) bool { return s.ID == sub.ID }); i >= 0 {
			list[i] = sub
		} else {
			list = append([]polar.Subscription{sub}, list...)
		}
		return list, true
	})
	return true
}

// patchState applies fn to copies of the customer states kept about
// customer id (by owners), after an event sent at at about a record of
// version v that fn applies, and keeps a customer.state_changed older than
// that event from writing it again.
func (c *Client) patchState(id string, owners []string, at, v time.Time, fn func(*polar.CustomerState)) {
	if !at.IsZero() {
		v = at
	}
	c.vers.atLeast("state\x00"+id, v.Add(-time.Nanosecond))
	c.updateKept(owners, "state\x00", func(_ string, val any) (any, bool) {
		st, ok := val.(*polar.CustomerState)
		if !ok || st == nil {
			return nil, false
		}
		cp := *st
		cp.ActiveSubscriptions = slices.Clone(st.ActiveSubscriptions)
		cp.GrantedBenefits = slices.Clone(st.GrantedBenefits)
		cp.ActiveMeters = slices.Clone(st.ActiveMeters)
		fn(&cp)
		return &cp, true
	})
}

// dropState drops the customer state kept about customer id (by owners)
// after an event sent at at about a record of version v changed it, and
// keeps a customer.state_changed older than that event from writing it
// again.
func (c *Client) dropState(id string, owners []string, at, v time.Time) {
	if !at.IsZero() {
		v = at
	}
	c.vers.atLeast("state\x00"+id, v.Add(-time.Nanosecond))
	c.dropKept(owners, "state\x00")
}
