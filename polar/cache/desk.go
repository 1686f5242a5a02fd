package cache

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/polar"
)

// The desk's reads (polar.Desk) through the cache: searches and reads by
// id are coalesced, never kept (a new sign-up must show at once); what is
// kept already (subscriptions, products) is answered without a request; the
// order history, which takes one request per 100 orders, is kept for
// HistoryTTL and dropped with everything else about its customer; the
// organization's slug is kept for a day.
const (
	// HistoryTTL is how long a customer's order history is kept.
	HistoryTTL = 10 * time.Minute
	// SlugTTL is how long the organization's slug is kept.
	SlugTTL = 24 * time.Hour
)

// errNoDesk is the answer of a Client whose inner client is no
// polar.Desk.
var errNoDesk = &polar.Error{Kind: polar.KindUnavailable, Operation: "desk",
	Err: errors.New("this Polar adapter cannot search customers")}

var _ polar.Desk = (*Client)(nil)

func (c *Client) desk() (polar.Desk, error) {
	if d, ok := c.inner.(polar.Desk); ok {
		return d, nil
	}
	return nil, errNoDesk
}

// SearchCustomers implements polar.Desk: coalesced, not kept.
func (c *Client) SearchCustomers(ctx context.Context, query string, limit int) ([]polar.Customer, error) {
	d, err := c.desk()
	if err != nil {
		return nil, err
	}
	v, err := load(ctx, c, read[[]polar.Customer]{
		key:  "search\x00" + query + "\x00" + strconv.Itoa(limit),
		op:   "customers:list",
		call: func(ctx context.Context) ([]polar.Customer, error) { return d.SearchCustomers(ctx, query, limit) },
	})
	return slices.Clone(v), err
}

// GetOrder implements polar.Desk: passed through.
func (c *Client) GetOrder(ctx context.Context, id string) (*polar.Order, error) {
	d, err := c.desk()
	if err != nil {
		return nil, err
	}
	return d.GetOrder(ctx, id)
}

// KeptSubscriptions implements polar.Desk: the customer's subscription
// list when this instance keeps it (BillingTTL, or a webhook's write
// through), else their customer state's active subscriptions; never a
// request, to Polar or to the Shared tier. What is older than the
// billing cap while webhooks are not known to arrive is not answered.
func (c *Client) KeptSubscriptions(id string) ([]polar.Subscription, bool) {
	if a, ok := c.getFor("subscriptions\x00"+refKey(polar.ByID(id)), config.MaxBillingTTL); ok && a.err == nil {
		if v, ok := a.val.([]polar.Subscription); ok {
			return slices.Clone(v), true
		}
	}
	if a, ok := c.getFor("state\x00"+refKey(polar.ByID(id)), config.MaxBillingTTL); ok && a.err == nil {
		if v, ok := a.val.(*polar.CustomerState); ok && v != nil {
			return slices.Clone(v.ActiveSubscriptions), true
		}
	}
	return nil, false
}

// KeptProduct implements polar.Desk: from the kept product list, or the
// product kept when it was read alone; never a request.
func (c *Client) KeptProduct(id string) (*polar.Product, bool) {
	if a, ok := c.get("product\x00" + id); ok && a.err == nil {
		if p, ok := a.val.(*polar.Product); ok && p != nil {
			cp := *p
			return &cp, true
		}
	}
	if a, ok := c.get("products"); ok && a.err == nil {
		list, _ := a.val.([]polar.Product)
		for i := range list {
			if list[i].ID == id {
				cp := list[i]
				return &cp, true
			}
		}
	}
	return nil, false
}

// OrderHistory implements polar.Desk: kept HistoryTTL, owned by the
// customer so that a webhook about them drops it.
func (c *Client) OrderHistory(ctx context.Context, ref polar.CustomerRef) (*polar.OrderHistory, error) {
	d, err := c.desk()
	if err != nil {
		return nil, err
	}
	v, err := load(ctx, c, read[*polar.OrderHistory]{
		key:   "history\x00" + refKey(ref),
		op:    "orders:list",
		ttl:   HistoryTTL,
		owner: refOwner(ref),
		call:  func(ctx context.Context) (*polar.OrderHistory, error) { return d.OrderHistory(ctx, ref) },
	})
	if err != nil || v == nil {
		return nil, err
	}
	cp := *v
	cp.Net = make(map[string]int64, len(v.Net))
	for k, n := range v.Net {
		cp.Net[k] = n
	}
	return &cp, nil
}

// OrganizationSlug implements polar.Desk: kept SlugTTL.
func (c *Client) OrganizationSlug(ctx context.Context) (string, error) {
	d, err := c.desk()
	if err != nil {
		return "", err
	}
	return load(ctx, c, read[string]{
		key:  "org-slug",
		op:   "organizations:list",
		ttl:  SlugTTL,
		call: d.OrganizationSlug,
	})
}

// DashboardHost implements polar.Desk.
func (c *Client) DashboardHost() string {
	if d, ok := c.inner.(polar.Desk); ok {
		return d.DashboardHost()
	}
	return "https://polar.sh"
}
