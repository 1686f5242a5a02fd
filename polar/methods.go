package polar

import (
	"context"
	"net/url"

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

// ListSubscriptions implements Client.
func (c *SDKClient) ListSubscriptions(ctx context.Context, ref CustomerRef) ([]Subscription, error) {
	o := op{id: "subscriptions:list", scope: ScopeSubscriptionsRead, query: customerFilter(ref)}
	if err := checkRef(o, ref); err != nil {
		return nil, err
	}
	all, err := listAll[Subscription](ctx, c, o, func(ctx context.Context, sdk *polargo.Polar, page int64) error {
		_, err := sdk.Subscriptions.List(ctx, operations.SubscriptionsListRequest{
			Page:    &page,
			Limit:   polargo.Int64(pageSize),
			Sorting: []components.SubscriptionSortProperty{components.SubscriptionSortPropertyMinusStartedAt},
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	return onlyCustomer(ctx, c, o, all, func(s Subscription) bool { return ownedBy(ref, s.CustomerID, s.Customer) }), nil
}

// ListOrders implements Client. A limit outside 1..100 means 10 when not
// positive and 100 when larger.
func (c *SDKClient) ListOrders(ctx context.Context, ref CustomerRef, limit int) ([]Order, error) {
	o := op{id: "orders:list", scope: ScopeOrdersRead, query: customerFilter(ref)}
	if err := checkRef(o, ref); err != nil {
		return nil, err
	}
	limit = OrdersShown(limit)
	slot, err := c.do(ctx, o, func(ctx context.Context, sdk *polargo.Polar) error {
		_, err := sdk.Orders.List(ctx, operations.OrdersListRequest{
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
	return onlyCustomer(ctx, c, o, page.Items, func(it Order) bool { return ownedBy(ref, it.CustomerID, it.Customer) }), nil
}

// OrdersShown is how many orders, at most, ListOrders returns for limit:
// the newest, as one page of Polar's orders list sorted by -created_at.
func OrdersShown(limit int) int {
	if limit <= 0 {
		return defaultOrders
	}
	return min(limit, pageSize)
}

// ListProducts implements Client. Archived products are dropped even if
// Polar returns them; archived prices are kept for tools to judge.
func (c *SDKClient) ListProducts(ctx context.Context) ([]Product, error) {
	o := op{
		id:    "products:list",
		scope: ScopeProductsRead,
		// polar-go v0.5.0 has no visibility filter.
		query: url.Values{"visibility": {"public"}},
	}
	all, err := listAll[Product](ctx, c, o, func(ctx context.Context, sdk *polargo.Polar, page int64) error {
		_, err := sdk.Products.List(ctx, operations.ProductsListRequest{
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
	o := op{id: "benefits:list", scope: ScopeBenefitsRead}
	return listAll[Benefit](ctx, c, o, func(ctx context.Context, sdk *polargo.Polar, page int64) error {
		_, err := sdk.Benefits.List(ctx, operations.BenefitsListRequest{
			Page:  &page,
			Limit: polargo.Int64(pageSize),
		})
		return err
	})
}

// listAll follows a list endpoint's pages, at most maxPages of them.
func listAll[T any](ctx context.Context, c *SDKClient, o op, fetch func(ctx context.Context, sdk *polargo.Polar, page int64) error) ([]T, error) {
	var all []T
	for page := int64(1); ; page++ {
		slot, err := c.do(ctx, o, func(ctx context.Context, sdk *polargo.Polar) error { return fetch(ctx, sdk, page) })
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
