package polar

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/polar-mcp/polar-mcp/config"
	polargo "github.com/polarsource/polar-go"
	"github.com/polarsource/polar-go/models/components"
	"github.com/polarsource/polar-go/models/operations"
)

// Desk is what the support agent's desk asks of Polar besides Client:
// finding customers by what a ticket carries (a customer's id and
// external id are read with Client.CustomerState, which carries their
// live plans in the same request), what they have paid over time, what
// is already known without asking, and where the organization lives in
// Polar's dashboard. Every method is a read. *SDKClient and
// *cache.Client are Desks.
type Desk interface {
	// SearchCustomers returns up to limit (1..100) customers whose name,
	// email or external id contains query, as Polar matches them
	// (customers:list ?query=): one request.
	SearchCustomers(ctx context.Context, query string, limit int) ([]Customer, error)
	// GetOrder returns the order with id id, with its customer, product
	// and subscription embedded (one request), or ErrOrderNotFound.
	GetOrder(ctx context.Context, id string) (*Order, error)
	// KeptSubscriptions returns the subscriptions of the customer with
	// Polar id id that this client holds from an earlier read, within
	// the billing TTL, without asking Polar; false when it holds none
	// (always, for a client that keeps nothing).
	KeptSubscriptions(id string) ([]Subscription, bool)
	// KeptProduct returns the product with id id when this client holds
	// it (the catalog kept for a minute), without asking Polar.
	KeptProduct(id string) (*Product, bool)
	// OrderHistory sums every order of a customer, one request per 100
	// orders, at most MaxHistoryPages requests.
	OrderHistory(ctx context.Context, customer CustomerRef) (*OrderHistory, error)
	// OrganizationSlug returns the token's organization's slug (one
	// request), "" without the optional organizations:read scope.
	OrganizationSlug(ctx context.Context) (string, error)
	// DashboardHost is the origin of Polar's dashboard for the configured
	// environment: https://polar.sh or https://sandbox.polar.sh.
	DashboardHost() string
}

// MaxHistoryPages bounds the requests OrderHistory makes: 10 pages of
// 100 orders. A longer history is summed as far as it goes and marked
// Partial.
const MaxHistoryPages = 10

// ErrOrderNotFound means Polar has no order with the id given.
var ErrOrderNotFound = errors.New("no order with that id")

// OrderHistory is what a customer has paid: per currency, the paid
// orders' totals (tax included) less what was refunded of them.
type OrderHistory struct {
	// Net is, per lower-case currency, the paid totals net of refunds,
	// in minor units.
	Net map[string]int64 `json:"net"`
	// Paid counts the orders Polar marks paid.
	Paid int `json:"paid"`
	// Orders counts every order read.
	Orders int `json:"orders"`
	// First is the oldest order's date, nil without orders.
	First *time.Time `json:"first,omitempty"`
	// Partial is set when the history has more than MaxHistoryPages pages.
	Partial bool `json:"partial,omitempty"`
}

var _ Desk = (*SDKClient)(nil)

// SearchCustomers implements Desk.
func (c *SDKClient) SearchCustomers(ctx context.Context, query string, limit int) ([]Customer, error) {
	o := op{id: "customers:list", scope: ScopeCustomersRead}
	query = strings.TrimSpace(query)
	if query == "" {
		// An empty query would list every customer.
		return nil, &Error{Kind: KindInvalid, Operation: o.id, Detail: "an empty search"}
	}
	limit = min(max(limit, 1), pageSize)
	slot, err := c.do(ctx, o, func(ctx context.Context, sdk *polargo.Polar) error {
		_, err := sdk.Customers.List(ctx, operations.CustomersListRequest{
			Query: &query,
			Limit: polargo.Int64(int64(limit)),
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	page, err := decode[Page[Customer]](o, slot)
	if err != nil {
		return nil, err
	}
	return page.Items, nil
}

// GetOrder implements Desk.
func (c *SDKClient) GetOrder(ctx context.Context, id string) (*Order, error) {
	o := op{id: "orders:get", scope: ScopeOrdersRead}
	if err := checkObjectID(o, id, "order"); err != nil {
		return nil, err
	}
	slot, err := c.do(ctx, o, func(ctx context.Context, sdk *polargo.Polar) error { _, err := sdk.Orders.Get(ctx, id); return err })
	if isNotFound(err) || isValidation(err) {
		return nil, ErrOrderNotFound
	}
	if err != nil {
		return nil, err
	}
	ord, err := decode[Order](o, slot)
	if err != nil {
		return nil, err
	}
	if ord.ID != id {
		return nil, ErrOrderNotFound
	}
	return &ord, nil
}

// KeptSubscriptions implements Desk: an uncached client keeps nothing.
func (c *SDKClient) KeptSubscriptions(string) ([]Subscription, bool) { return nil, false }

// KeptProduct implements Desk: an uncached client keeps nothing.
func (c *SDKClient) KeptProduct(string) (*Product, bool) { return nil, false }

// OrderHistory implements Desk.
func (c *SDKClient) OrderHistory(ctx context.Context, ref CustomerRef) (*OrderHistory, error) {
	o := op{id: "orders:list", scope: ScopeOrdersRead, query: customerFilter(ref)}
	if err := checkRef(o, ref); err != nil {
		return nil, err
	}
	h := &OrderHistory{Net: map[string]int64{}}
	for page := int64(1); ; page++ {
		slot, err := c.do(ctx, o, func(ctx context.Context, sdk *polargo.Polar) error {
			_, err := sdk.Orders.List(ctx, operations.OrdersListRequest{
				Page:    &page,
				Limit:   polargo.Int64(pageSize),
				Sorting: []components.OrderSortProperty{components.OrderSortPropertyCreatedAt},
			})
			return err
		})
		if err != nil {
			return nil, err
		}
		p, err := decode[Page[Order]](o, slot)
		if err != nil {
			return nil, err
		}
		items := onlyCustomer(ctx, c, o, p.Items, func(it Order) bool { return ownedBy(ref, it.CustomerID, it.Customer) })
		h.add(items)
		if len(p.Items)+p.Skipped == 0 || page >= int64(p.Pagination.MaxPage) {
			return h, nil
		}
		if page == MaxHistoryPages {
			h.Partial = true
			return h, nil
		}
	}
}

// add counts orders into h.
func (h *OrderHistory) add(orders []Order) {
	for _, o := range orders {
		if o.Unreadable {
			continue
		}
		h.Orders++
		if h.First == nil || o.CreatedAt.Before(*h.First) {
			t := o.CreatedAt.UTC()
			h.First = &t
		}
		if !o.Paid {
			continue
		}
		h.Paid++
		cur := strings.ToLower(o.Currency)
		h.Net[cur] += o.TotalAmount - o.RefundedAmount - o.RefundedTaxAmount
	}
}

// OrganizationSlug implements Desk.
func (c *SDKClient) OrganizationSlug(ctx context.Context) (string, error) {
	o := op{id: "organizations:list", scope: ScopeOrganizationsRead}
	slot, err := c.do(ctx, o, func(ctx context.Context, sdk *polargo.Polar) error {
		_, err := sdk.Organizations.List(ctx, nil, nil, polargo.Int64(2), nil)
		return err
	})
	if pe, ok := AsError(err); ok && (pe.Kind == KindInsufficientScope || pe.Kind == KindForbidden) {
		// Without the optional scope there is no slug: an answer, which a
		// cache keeps, so that it is not asked again on every look-up.
		return "", nil
	}
	if err != nil {
		return "", err
	}
	page, err := decode[Page[struct {
		Slug string `json:"slug"`
	}]](o, slot)
	if err != nil {
		return "", err
	}
	// An organization token sees its own organization only.
	if len(page.Items) != 1 || !slugLike(page.Items[0].Slug) {
		return "", nil
	}
	return page.Items[0].Slug, nil
}

// slugLike reports whether s can stand in a URL path as one segment.
func slugLike(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isWordByte(s[i]) && s[i] != '.' {
			return false
		}
	}
	return true
}

// DashboardHost implements Desk.
func (c *SDKClient) DashboardHost() string {
	if c.env == config.Sandbox {
		return "https://sandbox.polar.sh"
	}
	return "https://polar.sh"
}

// isValidation reports whether err is Polar's 422: an id that is not a
// UUID names nothing.
func isValidation(err error) bool {
	e, ok := AsError(err)
	return ok && e.Kind == KindInvalid && e.Status == 422
}
