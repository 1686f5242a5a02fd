package cache

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/polar-mcp/polar-mcp/polar"
)

// The desk's reads (polar.Desk) through the cache: searches and reads by
// id are coalesced, never kept (a new sign-up must show at once); the
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

// GetCustomer implements polar.Desk: coalesced, not kept.
func (c *Client) GetCustomer(ctx context.Context, id string) (*polar.Customer, error) {
	d, err := c.desk()
	if err != nil {
		return nil, err
	}
	v, err := load(ctx, c, read[*polar.Customer]{
		key:  "customer-id\x00" + id,
		op:   "customers:get",
		call: func(ctx context.Context) (*polar.Customer, error) { return d.GetCustomer(ctx, id) },
	})
	if err != nil || v == nil {
		return nil, err
	}
	cp := *v
	return &cp, nil
}

// GetOrder implements polar.Desk: passed through.
func (c *Client) GetOrder(ctx context.Context, id string) (*polar.Order, error) {
	d, err := c.desk()
	if err != nil {
		return nil, err
	}
	return d.GetOrder(ctx, id)
}

// CustomersSubscriptions implements polar.Desk: passed through.
func (c *Client) CustomersSubscriptions(ctx context.Context, ids []string) ([]polar.Subscription, error) {
	d, err := c.desk()
	if err != nil {
		return nil, err
	}
	return d.CustomersSubscriptions(ctx, ids)
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
