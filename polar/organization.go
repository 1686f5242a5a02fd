package polar

import (
	"context"
	"encoding/json"

	polargo "github.com/polarsource/polar-go"
	"github.com/polarsource/polar-go/models/operations"
)

// OrganizationID returns the id of the organization the token belongs to,
// with as few requests as it takes: GET /v1/organizations/ when the token
// may read it, else the organization_id of one listed customer, else of
// one listed product. When GET /v1/organizations/ fails for any reason
// (not only a scope refusal: a proxy's 404, a 5xx, a network fault), the
// lists are asked next, and its error is returned only when none of them
// reveals the organization. It returns "" when none reveals it.
func (c *SDKClient) OrganizationID(ctx context.Context) (string, error) {
	lists := []struct {
		o    op
		call func(context.Context, *polargo.Polar) error
	}{
		{op{id: "organizations:list", scope: ScopeOrganizationsRead}, func(ctx context.Context, sdk *polargo.Polar) error {
			_, err := sdk.Organizations.List(ctx, nil, nil, polargo.Int64(2), nil)
			return err
		}},
		{op{id: "customers:list", scope: ScopeCustomersRead}, func(ctx context.Context, sdk *polargo.Polar) error {
			_, err := sdk.Customers.List(ctx, operations.CustomersListRequest{Limit: polargo.Int64(1)})
			return err
		}},
		{op{id: "products:list", scope: ScopeProductsRead}, func(ctx context.Context, sdk *polargo.Polar) error {
			_, err := sdk.Products.List(ctx, operations.ProductsListRequest{Limit: polargo.Int64(1)})
			return err
		}},
	}
	var orgErr error
	for i, l := range lists {
		slot, err := c.do(ctx, l.o, l.call)
		if ok, err := probed(err); err != nil {
			if i == 0 && ctx.Err() == nil {
				// GET /v1/organizations/ failed (a proxy's 404, a 5xx,
				// a network fault): the customer list names it too.
				orgErr = err
				continue
			}
			return "", err
		} else if !ok {
			continue
		}
		var page Page[struct {
			ID             string `json:"id"`
			OrganizationID string `json:"organization_id"`
		}]
		if json.Unmarshal(slot.body, &page) != nil || len(page.Items) == 0 {
			continue
		}
		if i == 0 {
			if len(page.Items) == 1 { // an organization token sees its own only
				return page.Items[0].ID, nil
			}
			continue
		}
		if id := page.Items[0].OrganizationID; id != "" {
			return id, nil
		}
	}
	return "", orgErr
}
