package polar

import (
	"context"
	"net/url"
	"strings"

	polargo "github.com/polarsource/polar-go"
	"github.com/polarsource/polar-go/models/components"
	"github.com/polarsource/polar-go/models/operations"
)

const (
	// pageSize is the largest page Polar serves.
	pageSize = 100
	// maxPages bounds how many pages one list call follows.
	maxPages = 20
	// defaultOrders is ListOrders' limit when none is given.
	defaultOrders = 10
	// maxIDLen bounds a customer id; Polar's are 36-character UUIDs.
	maxIDLen = 64
)

// FindCustomerByEmail implements Client.
func (c *SDKClient) FindCustomerByEmail(ctx context.Context, email string) (*Customer, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		// An empty filter would list every customer.
		return nil, ErrCustomerNotFound
	}
	o := op{id: "customers:list", scope: "customers:read"}
	slot, err := c.do(ctx, o, func(ctx context.Context) error {
		_, err := c.sdk.Customers.List(ctx, operations.CustomersListRequest{
			Email: &email,
			Limit: polargo.Int64(10),
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
	for i := range page.Items {
		if strings.EqualFold(strings.TrimSpace(page.Items[i].Email), email) {
			return &page.Items[i], nil
		}
	}
	return nil, ErrCustomerNotFound
}

// ListSubscriptions implements Client.
func (c *SDKClient) ListSubscriptions(ctx context.Context, customerID string) ([]Subscription, error) {
	o := op{id: "subscriptions:list", scope: "subscriptions:read", query: customerFilter(customerID)}
	if err := checkID(o, customerID); err != nil {
		return nil, err
	}
	all, err := listAll[Subscription](ctx, c, o, func(ctx context.Context, page int64) error {
		_, err := c.sdk.Subscriptions.List(ctx, operations.SubscriptionsListRequest{
			Page:    &page,
			Limit:   polargo.Int64(pageSize),
			Sorting: []components.SubscriptionSortProperty{components.SubscriptionSortPropertyMinusStartedAt},
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	return onlyCustomer(ctx, c, o, customerID, all, func(s Subscription) string { return s.CustomerID }), nil
}

// ListOrders implements Client. A limit outside 1..100 means 10 when not
// positive and 100 when larger.
func (c *SDKClient) ListOrders(ctx context.Context, customerID string, limit int) ([]Order, error) {
	o := op{id: "orders:list", scope: "orders:read", query: customerFilter(customerID)}
	if err := checkID(o, customerID); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = defaultOrders
	}
	limit = min(limit, pageSize)
	slot, err := c.do(ctx, o, func(ctx context.Context) error {
		_, err := c.sdk.Orders.List(ctx, operations.OrdersListRequest{
			Limit:   polargo.Int64(int64(limit)),
			Sorting: []components.OrderSortProperty{components.OrderSortPropertyMinusCreatedAt},
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	page, err := decode[Page[Order]](o, slot)
	if err != nil {
		return nil, err
	}
	return onlyCustomer(ctx, c, o, customerID, page.Items, func(o Order) string { return o.CustomerID }), nil
}

// CustomerState implements Client.
func (c *SDKClient) CustomerState(ctx context.Context, customerID string) (*CustomerState, error) {
	o := op{id: "customers:get_state", scope: "customers:read"}
	if err := checkID(o, customerID); err != nil {
		return nil, err
	}
	slot, err := c.do(ctx, o, func(ctx context.Context) error {
		_, err := c.sdk.Customers.GetState(ctx, customerID)
		return err
	})
	if err != nil {
		return nil, err
	}
	state, err := decode[CustomerState](o, slot)
	if err != nil {
		return nil, err
	}
	return &state, nil
}

// ListProducts implements Client. Archived products are dropped even if
// Polar returns them; archived prices are kept for tools to judge.
func (c *SDKClient) ListProducts(ctx context.Context) ([]Product, error) {
	o := op{
		id:    "products:list",
		scope: "products:read",
		// polar-go v0.5.0 has no visibility filter.
		query: url.Values{"visibility": {"public"}},
	}
	all, err := listAll[Product](ctx, c, o, func(ctx context.Context, page int64) error {
		_, err := c.sdk.Products.List(ctx, operations.ProductsListRequest{
			IsArchived: polargo.Bool(false),
			Page:       &page,
			Limit:      polargo.Int64(pageSize),
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	kept := all[:0]
	for _, p := range all {
		if !p.IsArchived {
			kept = append(kept, p)
		}
	}
	return kept, nil
}

// ListBenefits implements Client.
func (c *SDKClient) ListBenefits(ctx context.Context) ([]Benefit, error) {
	o := op{id: "benefits:list", scope: "benefits:read"}
	return listAll[Benefit](ctx, c, o, func(ctx context.Context, page int64) error {
		_, err := c.sdk.Benefits.List(ctx, operations.BenefitsListRequest{
			Page:  &page,
			Limit: polargo.Int64(pageSize),
		})
		return err
	})
}

// CreateCustomerSession implements Client.
func (c *SDKClient) CreateCustomerSession(ctx context.Context, customerID string) (*CustomerSession, error) {
	o := op{id: "customer-sessions:create", scope: "customer_sessions:write"}
	if err := checkID(o, customerID); err != nil {
		return nil, err
	}
	req := operations.CreateCustomerSessionsCreateCustomerSessionCreateCustomerSessionCustomerIDCreate(
		components.CustomerSessionCustomerIDCreate{CustomerID: customerID})
	slot, err := c.do(ctx, o, func(ctx context.Context) error {
		_, err := c.sdk.CustomerSessions.Create(ctx, req)
		return err
	})
	if err != nil {
		return nil, err
	}
	session, err := decode[CustomerSession](o, slot)
	if err != nil {
		return nil, err
	}
	return &session, nil
}

// listAll follows a list endpoint's pages, at most maxPages of them.
func listAll[T any](ctx context.Context, c *SDKClient, o op, fetch func(ctx context.Context, page int64) error) ([]T, error) {
	var all []T
	for page := int64(1); ; page++ {
		slot, err := c.do(ctx, o, func(ctx context.Context) error { return fetch(ctx, page) })
		if err != nil {
			return nil, err
		}
		p, err := decode[Page[T]](o, slot)
		if err != nil {
			return nil, err
		}
		all = append(all, p.Items...)
		if len(p.Items)+p.Skipped == 0 || page >= int64(p.Pagination.MaxPage) {
			return all, nil
		}
		if page == maxPages {
			c.log.WarnContext(ctx, "polar list truncated", "operation", o.id,
				"pages", maxPages, "max_page", p.Pagination.MaxPage)
			return all, nil
		}
	}
}

// customerFilter is the customer_id query filter. polar-go v0.5.0 sends
// its filter unions under the wrong name ("str=<id>", see
// TestPolarGoQueryLedger), which Polar ignores, so the adapter adds the
// parameter itself.
func customerFilter(customerID string) url.Values {
	return url.Values{"customer_id": {customerID}}
}

// onlyCustomer drops items of any other customer. Polar filters by
// customer already; this guards against a filter that is ever lost, which
// would otherwise show one customer another's billing.
func onlyCustomer[T any](ctx context.Context, c *SDKClient, o op, customerID string, items []T, owner func(T) string) []T {
	kept := items[:0]
	for _, it := range items {
		if owner(it) == customerID {
			kept = append(kept, it)
		}
	}
	if dropped := len(items) - len(kept); dropped > 0 {
		c.log.WarnContext(ctx, "polar returned items of other customers; dropped them",
			"operation", o.id, "dropped", dropped)
	}
	return kept
}

// checkID rejects a customer id that cannot be one of Polar's, so it can
// never reshape a request path.
func checkID(o op, id string) error {
	ok := id != "" && len(id) <= maxIDLen
	for i := 0; ok && i < len(id); i++ {
		ok = isWordByte(id[i])
	}
	if !ok {
		return &Error{Kind: KindInvalid, Operation: o.id, Detail: "malformed customer id"}
	}
	return nil
}
