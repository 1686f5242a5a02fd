package polar

import (
	"context"
	"errors"

	polargo "github.com/polarsource/polar-go"
)

// ErrNoInvoice means an order has no invoice yet: Polar generates one on
// request only, and polar-mcp never asks it to.
var ErrNoInvoice = errors.New("the order has no invoice yet")

// OrderInvoice implements Client: GET /v1/orders/{id}/invoice. It never
// generates an invoice (that is a POST).
func (c *SDKClient) OrderInvoice(ctx context.Context, orderID string) (*Invoice, error) {
	o := op{id: "orders:invoice", scope: ScopeOrdersRead}
	if err := checkObjectID(o, orderID, "order"); err != nil {
		return nil, err
	}
	slot, err := c.do(ctx, o, func(ctx context.Context, sdk *polargo.Polar) error {
		_, err := sdk.Orders.Invoice(ctx, orderID)
		return err
	})
	if isNotFound(err) {
		// Polar's InvoiceDoesNotExist: the order was listed, so it is
		// the invoice that is missing.
		return nil, ErrNoInvoice
	}
	if err != nil {
		return nil, err
	}
	inv, err := decode[Invoice](o, slot)
	if err == nil && inv.URL == "" {
		err = &Error{Kind: KindDecode, Status: slot.status, Operation: o.id, Detail: "an invoice without a URL"}
	}
	if err != nil {
		return nil, err
	}
	return &inv, nil
}

// LicenseKey implements Client: GET /v1/license-keys/{id}, which needs the
// optional license_keys:read scope. The full key Polar returns is never
// decoded.
func (c *SDKClient) LicenseKey(ctx context.Context, id string) (*LicenseKey, error) {
	o := op{id: "license_keys:get", scope: ScopeLicenseKeysRead}
	if err := checkObjectID(o, id, "license key"); err != nil {
		return nil, err
	}
	slot, err := c.do(ctx, o, func(ctx context.Context, sdk *polargo.Polar) error {
		_, err := sdk.LicenseKeys.Get(ctx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	lk, err := decode[LicenseKey](o, slot)
	if err == nil && lk.ID == "" {
		err = &Error{Kind: KindDecode, Status: slot.status, Operation: o.id, Detail: "a license key without an id"}
	}
	if err != nil {
		return nil, err
	}
	return &lk, nil
}

// checkObjectID rejects an id that cannot be one of Polar's, so it can
// never reshape a request path.
func checkObjectID(o op, id, what string) error {
	if checkID(o, id) != nil {
		return &Error{Kind: KindInvalid, Operation: o.id, Detail: "malformed " + what + " id"}
	}
	return nil
}
