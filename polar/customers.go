package polar

import (
	"context"
	"net/url"

	polargo "github.com/polarsource/polar-go"
	"github.com/polarsource/polar-go/models/components"
	"github.com/polarsource/polar-go/models/operations"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// FindCustomerByEmail implements Client. Polar matches emails without
// regard to case (Unicode case included), so its answer is filtered again
// here with caller.SameEmail: an address that only folds to another one
// (U+212A KELVIN SIGN for "k") never finds that other customer.
func (c *SDKClient) FindCustomerByEmail(ctx context.Context, email string) (*Customer, error) {
	email = caller.NormalizeEmail(email)
	if email == "" {
		// An empty filter would list every customer.
		return nil, ErrCustomerNotFound
	}
	o := op{id: "customers:list", scope: ScopeCustomersRead}
	slot, err := c.do(ctx, o, func(ctx context.Context, sdk *polargo.Polar) error {
		_, err := sdk.Customers.List(ctx, operations.CustomersListRequest{
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
		if caller.SameEmail(page.Items[i].Email, email) {
			return &page.Items[i], nil
		}
	}
	return nil, ErrCustomerNotFound
}

// FindCustomerByExternalID implements Client.
func (c *SDKClient) FindCustomerByExternalID(ctx context.Context, ext string) (*Customer, error) {
	o := op{id: "customers:get_external", scope: ScopeCustomersRead}
	if err := checkExternalID(o, ext); err != nil {
		return nil, err
	}
	slot, err := c.do(ctx, o, func(ctx context.Context, sdk *polargo.Polar) error {
		_, err := sdk.Customers.GetExternal(ctx, ext)
		return err
	})
	if isNotFound(err) {
		return nil, ErrCustomerNotFound
	}
	if err != nil {
		return nil, err
	}
	cust, err := decode[Customer](o, slot)
	if err != nil {
		return nil, err
	}
	if cust.External() != ext {
		return nil, ErrCustomerNotFound
	}
	return &cust, nil
}

// CustomerState implements Client.
func (c *SDKClient) CustomerState(ctx context.Context, ref CustomerRef) (*CustomerState, error) {
	o := op{id: "customers:get_state", scope: ScopeCustomersRead}
	fn := func(ctx context.Context, sdk *polargo.Polar) error {
		_, err := sdk.Customers.GetState(ctx, ref.ID)
		return err
	}
	if ref.ID == "" {
		o.id = "customers:get_state_external"
		fn = func(ctx context.Context, sdk *polargo.Polar) error {
			_, err := sdk.Customers.GetStateExternal(ctx, ref.ExternalID)
			return err
		}
	}
	if err := checkRef(o, ref); err != nil {
		return nil, err
	}
	slot, err := c.do(ctx, o, fn)
	if err != nil {
		return nil, err
	}
	state, err := decode[CustomerState](o, slot)
	if err != nil {
		return nil, err
	}
	return &state, nil
}

// CreateCustomerSession implements Client.
func (c *SDKClient) CreateCustomerSession(ctx context.Context, ref CustomerRef) (*CustomerSession, error) {
	o := op{id: "customer-sessions:create", scope: ScopeCustomerSessionsWrite}
	if err := checkRef(o, ref); err != nil {
		return nil, err
	}
	req := operations.CreateCustomerSessionsCreateCustomerSessionCreateCustomerSessionCustomerIDCreate(
		components.CustomerSessionCustomerIDCreate{CustomerID: ref.ID})
	if ref.ID == "" {
		req = operations.CreateCustomerSessionsCreateCustomerSessionCreateCustomerSessionCustomerExternalIDCreate(
			components.CustomerSessionCustomerExternalIDCreate{CustomerExternalID: ref.ExternalID})
	}
	slot, err := c.do(ctx, o, func(ctx context.Context, sdk *polargo.Polar) error {
		_, err := sdk.CustomerSessions.Create(ctx, req)
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

// customerFilter is the query filter naming ref's customer. polar-go
// v0.5.0 sends its filter unions under the wrong name ("str=<id>", see
// TestPolarGoQueryLedger), which Polar ignores, so the adapter adds the
// parameter itself.
func customerFilter(ref CustomerRef) url.Values {
	if ref.ID != "" {
		return url.Values{"customer_id": {ref.ID}}
	}
	return url.Values{"external_customer_id": {ref.ExternalID}}
}

// ownedBy reports whether an item whose customer id is id and whose
// embedded customer is emb belongs to ref's customer.
func ownedBy(ref CustomerRef, id string, emb *Customer) bool {
	if ref.ID != "" {
		return id == ref.ID
	}
	return emb != nil && emb.External() == ref.ExternalID
}

// onlyCustomer drops items of any other customer. Polar filters by
// customer already; this guards against a filter that is ever lost, which
// would otherwise show one customer another's billing.
func onlyCustomer[T any](ctx context.Context, c *SDKClient, o op, items []T, owned func(T) bool) []T {
	kept := items[:0]
	for _, it := range items {
		if owned(it) {
			kept = append(kept, it)
		}
	}
	if dropped := len(items) - len(kept); dropped > 0 {
		c.log.WarnContext(ctx, "polar returned items of other customers; dropped them",
			"operation", o.id, "dropped", dropped)
	}
	return kept
}

// checkRef rejects a reference that cannot name one of Polar's customers,
// so it can never reshape a request path or widen a filter.
func checkRef(o op, ref CustomerRef) error {
	switch {
	case ref.ID != "" && ref.ExternalID != "":
		return &Error{Kind: KindInvalid, Operation: o.id, Detail: "a customer reference names both an id and an external id"}
	case ref.ID != "":
		return checkID(o, ref.ID)
	default:
		return checkExternalID(o, ref.ExternalID)
	}
}

// checkExternalID rejects an external id that could reshape a URL path
// or a log line (config.CheckExternalID).
func checkExternalID(o op, ext string) error {
	if config.CheckExternalID(ext) != nil {
		return &Error{Kind: KindInvalid, Operation: o.id, Detail: "malformed external customer id"}
	}
	return nil
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
