package cache

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/polar-mcp/polar-mcp/polar"
)

// writeOrder applies an order.* webhook (Polar's Order, its customer
// embedded): the order replaces its older copy in each kept page of the
// customer's orders, or takes its place by created_at (newest first)
// when the page would show it, within the page's limit. The disputes
// kept for the customer's orders (their side request) are dropped: a
// refund or a dispute changes them.
func (c *Client) writeOrder(_ string, raw []byte, at time.Time) bool {
	o, meta, ok := decodeRecord[polar.Order, recordMeta](raw)
	if !ok || o.ID == "" {
		return false
	}
	if !whole(o.CustomerID, o.Customer) || o.Status == "" {
		return false
	}
	if !c.vers.advance("order\x00"+o.ID, meta.version(at)) {
		return true
	}
	c.gen.Add(1)
	c.subOwners.learnOrders([]polar.Order{o})
	owners := ownersOf(o.Customer)
	c.dropKept(owners, "disputes\x00")
	c.updateKept(owners, "orders\x00", func(key string, val any) (any, bool) {
		list, ok := val.([]polar.Order)
		if !ok {
			return nil, false
		}
		n, err := strconv.Atoi(key[strings.LastIndexByte(key, 0)+1:])
		if err != nil {
			return nil, false
		}
		return place(list, o, polar.OrdersShown(n), func(x polar.Order) string { return x.ID },
			func(x polar.Order) time.Time { return x.CreatedAt }), true
	})
	return true
}

// place returns list (newest first by created) with rec in it: in place
// of its older copy, else where created puts it, unless the page is full
// (limit) and rec is older than all it shows. It never grows past limit.
func place[T any](list []T, rec T, limit int, id func(T) string, created func(T) time.Time) []T {
	out := slices.Clone(list)
	if i := slices.IndexFunc(out, func(x T) bool { return id(x) == id(rec) }); i >= 0 {
		out[i] = rec
		return out
	}
	at := slices.IndexFunc(out, func(x T) bool { return created(x).Before(created(rec)) })
	if at < 0 {
		if len(out) >= limit {
			return out // older than the whole (full) page: not on it
		}
		at = len(out)
	}
	out = slices.Insert(out, at, rec)
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// grantMeta is what writeGrant reads of a benefit grant beyond polar.Grant.
type grantMeta struct {
	recordMeta
	Properties struct {
		LicenseKeyID string `json:"license_key_id"`
	} `json:"properties"`
	Benefit struct {
		Type string `json:"type"`
	} `json:"benefit"`
}

// writeGrant applies a benefit_grant.* webhook (Polar's
// BenefitGrantWebhook, its customer embedded): the grant replaces its
// older copy in the customer's kept grants list (every state, newest
// first, one page), or takes its place there; the granted-to-member list
// gains it while granted and loses it once revoked, and so do the kept
// customer state's granted benefits (a meter credit's state is dropped:
// its meters change too; customer.state_changed writes the whole state
// again); and the details of its license key, an enrichment of the grant,
// are dropped.
func (c *Client) writeGrant(raw []byte, at time.Time) bool {
	g, meta, ok := decodeRecord[polar.Grant, grantMeta](raw)
	if !ok || g.ID == "" {
		return false
	}
	if !whole(g.CustomerID, g.Customer) {
		return false
	}
	v := meta.version(at)
	if !c.vers.advance("grant\x00"+g.ID, v) {
		return true
	}
	c.gen.Add(1)
	owners := ownersOf(g.Customer)
	if g.BenefitType == "" {
		g.BenefitType = meta.Benefit.Type
	}
	granted := g.IsGranted && !g.IsRevoked
	if g.BenefitType == "meter_credit" {
		// It credits a meter: the state's meters change too.
		c.dropState(g.Customer.ID, owners, at, v)
	} else {
		c.patchState(g.Customer.ID, owners, at, v, func(st *polar.CustomerState) {
			st.GrantedBenefits = slices.DeleteFunc(st.GrantedBenefits, func(b polar.BenefitGrant) bool { return b.ID == g.ID })
			if granted {
				st.GrantedBenefits = append(st.GrantedBenefits, g.BenefitGrant)
			}
		})
	}
	c.updateKept(owners, "grants\x00", func(_ string, val any) (any, bool) {
		list, ok := val.([]polar.Grant)
		if !ok {
			return nil, false
		}
		return place(list, g, polar.GrantsListed, func(x polar.Grant) string { return x.ID },
			func(x polar.Grant) time.Time { return x.CreatedAt }), true
	})
	mg := polar.MemberGrant{ID: g.ID, CustomerID: g.Customer.ID, MemberID: g.MemberID, IsGranted: true}
	c.updateKept(owners, "member-grants\x00", func(_ string, val any) (any, bool) {
		list, ok := val.([]polar.MemberGrant)
		if !ok {
			return nil, false
		}
		out := slices.DeleteFunc(slices.Clone(list), func(x polar.MemberGrant) bool { return x.ID == g.ID })
		if granted {
			out = append(out, mg)
		}
		return out, true
	})
	// Last, so that a reader who finds the key dropped finds the grant
	// as it is now.
	switch {
	case meta.Properties.LicenseKeyID != "":
		if c.store != nil {
			c.store.remove("license\x00" + meta.Properties.LicenseKeyID)
		}
	case meta.Benefit.Type == "license_keys" || meta.Benefit.Type == "":
		c.dropKept(owners, "license\x00")
	}
	return true
}

// writeState applies customer.state_changed (Polar's CustomerState): the
// state is the whole answer of CustomerState for that customer, written
// by Polar id and by external id. Its version is the event's timestamp
// (a state's modified_at is its customer's, which a new subscription
// does not change).
func (c *Client) writeState(raw []byte, at time.Time) bool {
	s, err := polar.DecodeCustomerState(raw)
	if err != nil {
		return false
	}
	var meta recordMeta
	_ = json.Unmarshal(raw, &meta)
	v := at
	if v.IsZero() {
		v = meta.version(at)
	}
	if !c.vers.advance("state\x00"+s.ID, v) {
		return true
	}
	c.gen.Add(1)
	refs := []polar.CustomerRef{polar.ByID(s.ID)}
	if ext := s.External(); ext != "" {
		refs = append(refs, polar.ByExternalID(ext))
	}
	for _, ref := range refs {
		c.put("state\x00"+refKey(ref), refOwner(ref), answer{val: s}, c.billingFor())
	}
	return true
}

// dropRefund applies refund.* (Polar's Refund: ids only, no embedded
// customer): the customer's kept orders (their refunded amounts) and
// disputes are dropped; order.refunded carries the order itself.
func (c *Client) dropRefund(raw []byte, _ time.Time) bool {
	var meta recordMeta
	if json.Unmarshal(raw, &meta) != nil || meta.CustomerID == "" {
		return false
	}
	c.gen.Add(1)
	c.dropKept([]string{meta.CustomerID}, "orders\x00", "disputes\x00")
	return true
}

// dropSeat applies customer_seat.* (Polar's CustomerSeat): the seats kept
// for its subscription and the customer's granted-to-member list are
// dropped (a seat's payload does not determine the seat counts); the
// member it names is looked up again (webhooks.Map's member change).
func (c *Client) dropSeat(raw []byte, _ time.Time) bool {
	var seat struct {
		CustomerID     string  `json:"customer_id"`
		SubscriptionID *string `json:"subscription_id"`
	}
	if json.Unmarshal(raw, &seat) != nil || seat.CustomerID == "" {
		return false
	}
	c.gen.Add(1)
	c.dropKept([]string{seat.CustomerID}, "member-grants\x00", "seats\x00")
	if seat.SubscriptionID != nil && c.store != nil {
		c.store.remove("seats\x00" + *seat.SubscriptionID)
	}
	return true
}
