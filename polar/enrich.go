package polar

import (
	"context"
	"encoding/json"
	"net/http"
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
// revoked), newest first, one page of 100 (benefitGrants).
func (c *SDKClient) ListBenefitGrants(ctx context.Context, ref CustomerRef) ([]Grant, error) {
	return c.benefitGrants(ctx, ref, false, 1)
}

// benefitGrants is the one reader of GET /v1/benefit-grants/, for
// ListBenefitGrants and MemberGrants: the customer's grants (only the
// granted ones when granted), newest first, 100 a page, following at most
// pages pages, through doRaw (polar-go v0.5.0 has no such operation).
// Only the grants of ref's customer are returned.
func (c *SDKClient) benefitGrants(ctx context.Context, ref CustomerRef, granted bool, pages int) ([]Grant, error) {
	o := op{id: "benefit-grants:list", scope: ScopeBenefitsRead}
	if err := checkRef(o, ref); err != nil {
		return nil, err
	}
	var all []Grant
	for page := 1; page <= pages; page++ {
		q := customerFilter(ref)
		q.Set("limit", strconv.Itoa(pageSize))
		q.Set("sorting", "-created_at")
		q.Set("page", strconv.Itoa(page))
		if granted {
			q.Set("is_granted", "true")
		}
		slot, err := c.doRaw(ctx, o, http.MethodGet, "/v1/benefit-grants/", q, nil)
		if err != nil {
			return nil, err
		}
		p, err := decode[Page[Grant]](o, slot)
		if err != nil {
			return nil, err
		}
		all = append(all, p.Items...)
		if page >= p.Pagination.MaxPage {
			break
		}
	}
	return onlyCustomer(ctx, c, o, all, func(g Grant) bool { return ownedBy(ref, g.CustomerID, g.Customer) }), nil
}

func (d *Dispute) identified() bool { return d.ID != "" }

func (g *Grant) keepMinimal(raw json.RawMessage) bool {
	m, cu, ok := decodeMinimal(raw)
	var who struct {
		MemberID *string `json:"member_id"`
	}
	_ = json.Unmarshal(raw, &who) // who it was granted to, when that decodes
	*g = Grant{BenefitGrant: BenefitGrant{ID: m.ID, Unreadable: true}, CustomerID: m.CustomerID, Customer: cu, MemberID: who.MemberID}
	return ok
}
