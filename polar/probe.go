package polar

// Probing a token
//
// Before a merchant's token is saved, and whenever it is checked again,
// Probe asks Polar what the token can do with requests that change
// nothing: one list item of each resource the tools read, and, for
// customer_sessions:write, a customer session for a customer that cannot
// exist (a fresh random version-4 UUID). Polar refuses that session with
// 422 when the scope is granted and with 403 when it is not, and creates
// nothing either way.
//
// license_keys:read, which is optional, is probed the same way: a license
// key that cannot exist is 404 with the scope and 403 without it.
//
// The organization comes from GET /v1/organizations/ when the token may
// read it (organizations:read, which merchants need not grant), and
// otherwise from the organization_id of a listed customer, product or
// benefit, without a name.

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"

	polargo "github.com/polarsource/polar-go"
	"github.com/polarsource/polar-go/models/components"
	"github.com/polarsource/polar-go/models/operations"
)

// The token scopes polar-mcp's tools use.
const (
	ScopeCustomersRead         = "customers:read"
	ScopeSubscriptionsRead     = "subscriptions:read"
	ScopeOrdersRead            = "orders:read"
	ScopeProductsRead          = "products:read"
	ScopeBenefitsRead          = "benefits:read"
	ScopeCustomerSessionsWrite = "customer_sessions:write"
	// ScopeLicenseKeysRead is optional: it adds activations, usage and
	// expiry to license-key benefits.
	ScopeLicenseKeysRead = "license_keys:read"
	// ScopeOrganizationsRead is optional: it only names the organization.
	ScopeOrganizationsRead = "organizations:read"
)

// RequiredScopes returns the scopes the tools need, in the order Probe
// checks them.
func RequiredScopes() []string {
	return []string{ScopeCustomersRead, ScopeSubscriptionsRead, ScopeOrdersRead,
		ScopeProductsRead, ScopeBenefitsRead, ScopeCustomerSessionsWrite}
}

// Probe is what Polar showed a token can do.
type Probe struct {
	// OrganizationID is the token's organization, "" when no request
	// revealed it (no organizations:read and nothing listed).
	OrganizationID string
	// OrganizationName is "" without organizations:read.
	OrganizationName string
	// Granted are the scopes found to work, in RequiredScopes order,
	// followed by license_keys:read and organizations:read when they
	// work.
	Granted []string
	// Missing are the required scopes Polar refused with 403.
	Missing []string
	// MissingOptional are the optional scopes Polar refused
	// (license_keys:read); organizations:read is never listed.
	MissingOptional []string
}

// orgRef is the organization_id of any listed object.
type orgRef struct {
	OrganizationID string `json:"organization_id"`
}

// Probe checks the token against Polar, scope by scope. It fails with a
// KindUnauthorized *Error as soon as Polar answers 401, and with the
// *Error of any answer that proves nothing (network error, 429, 5xx).
// It sends at most eight requests and writes nothing.
func (c *SDKClient) Probe(ctx context.Context) (*Probe, error) {
	p := &Probe{}
	lists := []struct {
		o    op
		call func(context.Context, *polargo.Polar) error
	}{
		{op{id: "customers:list", scope: ScopeCustomersRead}, func(ctx context.Context, sdk *polargo.Polar) error {
			_, err := sdk.Customers.List(ctx, operations.CustomersListRequest{Limit: polargo.Int64(1)})
			return err
		}},
		{op{id: "subscriptions:list", scope: ScopeSubscriptionsRead}, func(ctx context.Context, sdk *polargo.Polar) error {
			_, err := sdk.Subscriptions.List(ctx, operations.SubscriptionsListRequest{Limit: polargo.Int64(1)})
			return err
		}},
		{op{id: "orders:list", scope: ScopeOrdersRead}, func(ctx context.Context, sdk *polargo.Polar) error {
			_, err := sdk.Orders.List(ctx, operations.OrdersListRequest{Limit: polargo.Int64(1)})
			return err
		}},
		{op{id: "products:list", scope: ScopeProductsRead}, func(ctx context.Context, sdk *polargo.Polar) error {
			_, err := sdk.Products.List(ctx, operations.ProductsListRequest{Limit: polargo.Int64(1)})
			return err
		}},
		{op{id: "benefits:list", scope: ScopeBenefitsRead}, func(ctx context.Context, sdk *polargo.Polar) error {
			_, err := sdk.Benefits.List(ctx, operations.BenefitsListRequest{Limit: polargo.Int64(1)})
			return err
		}},
	}
	for _, l := range lists {
		slot, err := c.do(ctx, l.o, l.call)
		ok, err := probed(err)
		if err != nil {
			return nil, err
		}
		if !ok {
			p.Missing = append(p.Missing, l.o.scope)
			continue
		}
		p.Granted = append(p.Granted, l.o.scope)
		if p.OrganizationID == "" {
			var page Page[orgRef]
			if json.Unmarshal(slot.body, &page) == nil && len(page.Items) > 0 {
				p.OrganizationID = page.Items[0].OrganizationID
			}
		}
	}
	if err := c.probeSessions(ctx, p); err != nil {
		return nil, err
	}
	if err := c.probeLicenseKeys(ctx, p); err != nil {
		return nil, err
	}
	if err := c.probeOrganization(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// probed sorts a probe's outcome: (true, nil) when the scope worked,
// (false, nil) when Polar refused it with 403, and the error otherwise.
func probed(err error) (bool, error) {
	if err == nil {
		return true, nil
	}
	if pe, ok := AsError(err); ok && (pe.Kind == KindInsufficientScope || pe.Kind == KindForbidden) {
		return false, nil
	}
	return false, err
}

// note records what the probe of scope found (err, as probed reads it):
// granted, or missing into missing; any other error ends the probe.
func (p *Probe) note(scope string, err error, missing *[]string) error {
	ok, err := probed(err)
	switch {
	case err != nil:
		return err
	case ok:
		p.Granted = append(p.Granted, scope)
	default:
		*missing = append(*missing, scope)
	}
	return nil
}

// probeSessions checks customer_sessions:write with a session for a
// customer that does not exist: 422 (or 404) means the scope passed.
func (c *SDKClient) probeSessions(ctx context.Context, p *Probe) error {
	o := op{id: "customer-sessions:create", scope: ScopeCustomerSessionsWrite}
	id, err := randomUUID4()
	if err != nil {
		return &Error{Kind: KindUnavailable, Operation: o.id, Err: err}
	}
	req := operations.CreateCustomerSessionsCreateCustomerSessionCreateCustomerSessionCustomerIDCreate(
		components.CustomerSessionCustomerIDCreate{CustomerID: id})
	_, err = c.do(ctx, o, func(ctx context.Context, sdk *polargo.Polar) error {
		_, err := sdk.CustomerSessions.Create(ctx, req)
		return err
	})
	if pe, ok := AsError(err); ok && (pe.Kind == KindInvalid || pe.Kind == KindNotFound) {
		err = nil // refused for the customer, so after the scope check
	}
	return p.note(o.scope, err, &p.Missing)
}

// probeLicenseKeys checks the optional license_keys:read with a license
// key that does not exist: 404 means the scope passed.
func (c *SDKClient) probeLicenseKeys(ctx context.Context, p *Probe) error {
	o := op{id: "license_keys:get", scope: ScopeLicenseKeysRead}
	id, err := randomUUID4()
	if err != nil {
		return &Error{Kind: KindUnavailable, Operation: o.id, Err: err}
	}
	_, err = c.do(ctx, o, func(ctx context.Context, sdk *polargo.Polar) error {
		_, err := sdk.LicenseKeys.Get(ctx, id)
		return err
	})
	if pe, ok := AsError(err); ok && pe.Kind == KindNotFound {
		err = nil
	}
	return p.note(o.scope, err, &p.MissingOptional)
}

// probeOrganization names the organization when the token may read it.
// Only a 401 is an error: without organizations:read, or when Polar fails
// here, the organization id found by the other probes stands.
func (c *SDKClient) probeOrganization(ctx context.Context, p *Probe) error {
	o := op{id: "organizations:list", scope: ScopeOrganizationsRead}
	slot, err := c.do(ctx, o, func(ctx context.Context, sdk *polargo.Polar) error {
		_, err := sdk.Organizations.List(ctx, nil, nil, polargo.Int64(10), nil)
		return err
	})
	if err != nil {
		if pe, ok := AsError(err); ok && pe.Kind == KindUnauthorized {
			return err
		}
		return nil
	}
	p.Granted = append(p.Granted, o.scope)
	var page Page[struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}]
	if json.Unmarshal(slot.body, &page) != nil {
		return nil
	}
	for _, org := range page.Items {
		// An organization token sees one organization; should there be
		// more, only the one the other probes saw is certain.
		if len(page.Items) == 1 || org.ID == p.OrganizationID {
			p.OrganizationID, p.OrganizationName = org.ID, org.Name
			return nil
		}
	}
	return nil
}

// randomUUID4 returns a random version-4 UUID.
func randomUUID4() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("random customer id: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]), nil
}
