package cache

import (
	"encoding/json"
	"slices"

	"sync"
	"time"

	"github.com/polar-mcp/polar-mcp/polar"
)

// maxVersions bounds versions; past it, what it knows is dropped (an
// event older than a forgotten version then drops the customer's billing
// instead of writing through).
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
	if vs.m == nil || len(vs.m) >= maxVersions {
		vs.m = map[string]time.Time{}
	}
	vs.m[id] = v
	return true
}

// WriteSubscription applies a subscription.* webhook whose data is raw
// (Polar's Subscription, with its customer embedded), sent at: the
// subscription replaces its older copy in the customer's kept list, so
// the change is visible at once without asking Polar again, and the rest
// of the customer's billing (state, orders, grants, seats) is dropped as
// ForgetBilling does. An event older than one already written (by
// modified_at, else the event's timestamp) changes nothing. It reports
// whether the event was handled (written, or ignored as older); false
// means the payload could not be read, and the caller should drop the
// customer's billing instead. The tools still check the embedded
// customer of every subscription against the caller.
func (c *Client) WriteSubscription(raw []byte, at time.Time) bool {
	var sub polar.Subscription
	var meta struct {
		ModifiedAt *time.Time `json:"modified_at"`
		CreatedAt  *time.Time `json:"created_at"`
	}
	if json.Unmarshal(raw, &sub) != nil || json.Unmarshal(raw, &meta) != nil || sub.ID == "" {
		return false
	}
	// Only a whole record is written: one whose embedded customer the
	// tools can check against the caller, with its status. Anything less
	// (a partial payload) drops the customer's billing instead.
	if sub.Customer == nil || sub.Customer.ID == "" || sub.Status == "" ||
		(sub.CustomerID != "" && sub.CustomerID != sub.Customer.ID) {
		return false
	}
	owner := sub.Customer.ID
	v := at
	switch {
	case meta.ModifiedAt != nil:
		v = *meta.ModifiedAt
	case meta.CreatedAt != nil && at.IsZero():
		v = *meta.CreatedAt
	}
	if !c.vers.advance("subscription\x00"+sub.ID, v) {
		return true // an older event: the newer record stays
	}
	c.subOwners.learn([]polar.Subscription{sub})
	key := "subscriptions\x00" + refKey(polar.ByID(owner))
	kept, hasList := c.get(key)
	c.ForgetBilling(owner) // bumps gen: reads in flight keep nothing older
	if !hasList || kept.err != nil || c.store == nil {
		return true
	}
	list, _ := kept.val.([]polar.Subscription)
	list = slices.Clone(list)
	if i := slices.IndexFunc(list, func(s polar.Subscription) bool { return s.ID == sub.ID }); i >= 0 {
		list[i] = sub
	} else {
		list = append([]polar.Subscription{sub}, list...)
	}
	c.put(key, owner, answer{val: list}, c.billingFor())
	return true
}
