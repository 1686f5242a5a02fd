package polar_test

import (
	"context"
	"errors"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/polar"
)

// Demo ids (polar/fakepolar/fixtures/demo).
const (
	aliceOrderPaid     = "0d000000-0001-4000-8001-000000000001"
	yenOrderNoInvoice  = "0d000000-0001-4000-802b-000000000043"
	licenseLimitKeyID  = "1c000000-0001-4000-8004-000000000004"
	licenseLimitClient = "license.limit@example.com"
)

func TestOrderInvoice(t *testing.T) {
	ctx := context.Background()
	c, _ := newDemo(t, fakepolar.Options{}, fakepolar.DemoToken)
	inv, err := c.OrderInvoice(ctx, aliceOrderPaid)
	if err != nil || inv.URL == "" {
		t.Fatalf("generated invoice: %+v, %v", inv, err)
	}
	if _, err := c.OrderInvoice(ctx, yenOrderNoInvoice); !errors.Is(err, polar.ErrNoInvoice) {
		t.Errorf("an order without an invoice: %v, want ErrNoInvoice", err)
	}
	if _, err := c.OrderInvoice(ctx, "../customers"); err == nil {
		t.Error("a malformed order id was sent")
	}
}

func TestLicenseKey(t *testing.T) {
	ctx := context.Background()
	c, _ := newDemo(t, fakepolar.Options{}, fakepolar.DemoToken)
	lk, err := c.LicenseKey(ctx, licenseLimitKeyID)
	if err != nil {
		t.Fatal(err)
	}
	if lk.Customer == nil || lk.Customer.Email != licenseLimitClient || len(lk.Activations) != 3 ||
		lk.LimitActivations == nil || *lk.LimitActivations != 3 || lk.ExpiresAt == nil || lk.DisplayKey == "" {
		t.Errorf("license key: %+v", lk)
	}

	limited, _ := newDemo(t, fakepolar.Options{Tokens: map[string][]string{"polar_oat_no_license_scope_0000": {"customers:read"}}},
		"polar_oat_no_license_scope_0000")
	_, err = limited.LicenseKey(ctx, licenseLimitKeyID)
	if pe, ok := polar.AsError(err); !ok || pe.Kind != polar.KindInsufficientScope || pe.Scope != polar.ScopeLicenseKeysRead {
		t.Errorf("without license_keys:read: %v", err)
	}
}
