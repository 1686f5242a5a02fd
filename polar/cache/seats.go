package cache

import (
	"context"
	"slices"

	"github.com/polar-mcp/polar-mcp/polar"
)

// SubscriptionSeats implements polar.Members. Seats are billing data:
// kept as long as subscriptions are, owned by the subscription's customer
// (learned from its subscription list) so that the events that change
// them (customer_seat.*, subscription.*) drop them. Seats of a
// subscription whose customer is not known are not kept.
func (c *Client) SubscriptionSeats(ctx context.Context, subscriptionID string) (*polar.Seats, error) {
	inner, err := c.membersInner()
	if err != nil {
		return nil, err
	}
	owner := c.subOwners.of(subscriptionID)
	ttl := c.billingFor()
	if owner == "" {
		ttl = 0
	}
	v, err := load(ctx, c, read[*polar.Seats]{
		key:     "seats\x00" + subscriptionID,
		op:      "customer-seats:list_seats",
		ttl:     ttl,
		billing: true,
		owner:   owner,
		call: func(ctx context.Context) (*polar.Seats, error) {
			return inner.SubscriptionSeats(ctx, subscriptionID)
		},
	})
	if err != nil || v == nil {
		return nil, err
	}
	cp := *v
	cp.Seats = slices.Clone(v.Seats)
	return &cp, nil
}

// MemberGrants implements polar.Members; kept like customer state. Both
// it and ListBenefitGrants read GET /v1/benefit-grants/: while the
// customer's whole grants list is kept (ListBenefitGrants, fewer than a
// page), the granted ones are answered from it, without asking Polar.
func (c *Client) MemberGrants(ctx context.Context, ref polar.CustomerRef) ([]polar.MemberGrant, error) {
	inner, err := c.membersInner()
	if err != nil {
		return nil, err
	}
	if a, ok := c.get("grants\x00" + refKey(ref)); ok && a.err == nil {
		if all, ok := a.val.([]polar.Grant); ok && len(all) < polar.GrantsListed {
			c.hits.Add(1)
			c.obs.OnCache(ctx, Event{Kind: "benefit-grants:list", Outcome: OutcomeHit})
			var out []polar.MemberGrant
			for _, g := range all {
				if g.IsGranted {
					out = append(out, polar.MemberGrant{ID: g.ID, CustomerID: g.CustomerID, MemberID: g.MemberID, IsGranted: true})
				}
			}
			return out, nil
		}
	}
	v, err := load(ctx, c, read[[]polar.MemberGrant]{
		key:     "member-grants\x00" + refKey(ref),
		op:      "benefit-grants:list",
		ttl:     c.billingFor(),
		billing: true,
		owner:   refOwner(ref),
		call: func(ctx context.Context) ([]polar.MemberGrant, error) {
			return inner.MemberGrants(ctx, ref)
		},
	})
	return slices.Clone(v), err
}

// CreateMemberSession implements polar.Members; reused as
// CreateCustomerSession is, for the same caller and member only.
func (c *Client) CreateMemberSession(ctx context.Context, ref polar.CustomerRef, memberID string) (*polar.CustomerSession, error) {
	inner, err := c.membersInner()
	if err != nil {
		return nil, err
	}
	return c.session(ctx, ref, "member\x00"+memberID, func(ctx context.Context) (*polar.CustomerSession, error) {
		return inner.CreateMemberSession(ctx, ref, memberID)
	})
}
