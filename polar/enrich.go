package polar

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"

	polargo "github.com/polarsource/polar-go"
	"github.com/polarsource/polar-go/models/operations"
)

// ScopeDisputesRead is optional: it adds disputes to orders.
const ScopeDisputesRead = "disputes:read"

// maxDisputeOrders bounds the order ids one disputes request names.
const maxDisputeOrders = 100

// GetProduct implements Client: GET /v1/products/{id}, any product of the
// organization, private or archived ones included.
func (c *SDKClient) GetProduct(ctx context.Context, id string) (*Product, error) {
	o := op{id: "products:get", scope: ScopeProductsRead}
	if err := checkObjectID(o, id, "product"); err != nil {
		return nil, err
	}
	slot, err := c.do(ctx, o, func(ctx context.Context, sdk *polargo.Polar) error {
		_, err := sdk.Products.Get(ctx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	p, err := decode[Product](o, slot)
	if err == nil && p.ID == "" {
		err = &Error{Kind: KindDecode, Status: slot.status, Operation: o.id, Detail: "a product without an id"}
	}
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// ListDisputes implements Client: GET /v1/disputes/ filtered to the given
// orders (at most 100), newest first. polar-go v0.5.0 has no disputes
// endpoint, so the request is sent on another list operation's client
// with its path replaced (capture.path).
func (c *SDKClient) ListDisputes(ctx context.Context, orderIDs []string) ([]Dispute, error) {
	if len(orderIDs) == 0 {
		return nil, nil
	}
	if len(orderIDs) > maxDisputeOrders {
		orderIDs = orderIDs[:maxDisputeOrders]
	}
	q := url.Values{"order_id": orderIDs, "limit": {strconv.Itoa(maxDisputeOrders)}, "sorting": {"-created_at"}}
	o := op{id: "disputes:list", scope: ScopeDisputesRead, path: "/v1/disputes/", query: q}
	for _, id := range orderIDs {
		if err := checkObjectID(o, id, "order"); err != nil {
			return nil, err
		}
	}
	slot, err := c.do(ctx, o, func(ctx context.Context, sdk *polargo.Polar) error {
		_, err := sdk.Benefits.List(ctx, operations.BenefitsListRequest{})
		return err
	})
	if err != nil {
		return nil, err
	}
	page, err := decode[Page[Dispute]](o, slot)
	if err != nil {
		return nil, err
	}
	return page.Items, nil
}

// GrantsListed is how many grants, at most, ListBenefitGrants returns:
// the newest, one page sorted by -created_at.
const GrantsListed = pageSize

// ListBenefitGrants implements Client: GET /v1/benefit-grants/ for one
// customer, every grant whatever its state (granted, pending, errored,
// revoked), newest first, one page of 100. Like ListDisputes it replaces
// the path of a polar-go call.
func (c *SDKClient) ListBenefitGrants(ctx context.Context, ref CustomerRef) ([]Grant, error) {
	q := url.Values{"limit": {strconv.Itoa(pageSize)}, "sorting": {"-created_at"}}
	for k, v := range customerFilter(ref) {
		q[k] = v
	}
	o := op{id: "benefit_grants:list", scope: ScopeBenefitsRead, path: "/v1/benefit-grants/", query: q}
	if err := checkRef(o, ref); err != nil {
		return nil, err
	}
	slot, err := c.do(ctx, o, func(ctx context.Context, sdk *polargo.Polar) error {
		_, err := sdk.Benefits.List(ctx, operations.BenefitsListRequest{})
		return err
	})
	if err != nil {
		return nil, err
	}
	page, err := decode[Page[Grant]](o, slot)
	if err != nil {
		return nil, err
	}
	return onlyCustomer(ctx, c, o, page.Items, func(g Grant) bool { return ownedBy(ref, g.CustomerID, g.Customer) }), nil
}

func (d *Dispute) identified() bool { return d.ID != "" }

func (g *Grant) keepMinimal(raw json.RawMessage) bool {
	m, cu, ok := decodeMinimal(raw)
	*g = Grant{BenefitGrant: BenefitGrant{ID: m.ID, Unreadable: true}, CustomerID: m.CustomerID, Customer: cu}
	return ok
}
