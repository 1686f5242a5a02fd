package cache_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
)

// The order history is summed once, kept, and dropped with everything
// else about its customer; the slug is kept; searches are never kept.
func TestDeskReadsThroughTheCache(t *testing.T) {
	api := startDemo(t, false)
	c := api.cached(t, cache.Config{})
	ctx := context.Background()

	h, err := c.OrderHistory(ctx, polar.ByID(demoAlice))
	if err != nil {
		t.Fatal(err)
	}
	// Alice: four €28.80 orders, one refunded (€24.00 + €4.80 tax), one
	// partly (€10.00 + €2.00 tax): 4×2880 − 2880 − 1200.
	if h.Net["eur"] != 4*2880-2880-1440 || h.Paid != 4 || h.Orders != 4 || h.Partial || h.First == nil {
		t.Fatalf("Alice's history = %+v", h)
	}
	h.Net["eur"] = 0 // a caller's copy
	again, err := c.OrderHistory(ctx, polar.ByID(demoAlice))
	if err != nil || again.Net["eur"] != 7200 {
		t.Fatalf("kept history = %+v, %v", again, err)
	}
	if n := countPath(api.paths(), "GET /v1/orders/"); n != 1 {
		t.Errorf("%d order list requests for two reads, want 1", n)
	}
	c.ForgetCustomer(demoAlice)
	if _, err := c.OrderHistory(ctx, polar.ByID(demoAlice)); err != nil {
		t.Fatal(err)
	}
	if n := countPath(api.paths(), "GET /v1/orders/"); n != 2 {
		t.Errorf("%d order list requests after the customer was forgotten, want 2", n)
	}

	for range 2 {
		if slug, err := c.OrganizationSlug(ctx); err != nil || slug != "northwind-cloud" {
			t.Fatalf("slug %q, %v", slug, err)
		}
		if ms, err := c.SearchCustomers(ctx, "martin", 10); err != nil || len(ms) != 2 {
			t.Fatalf("search: %d, %v", len(ms), err)
		}
	}
	if n := countPath(api.paths(), "GET /v1/organizations/"); n != 1 {
		t.Errorf("%d organization requests, want 1", n)
	}
	if n := countPath(api.paths(), "GET /v1/customers/"); n != 2 {
		t.Errorf("%d searches reached Polar, want 2 (not kept)", n)
	}
	if _, err := c.GetOrder(ctx, "0d0d0d0d-0000-4000-8000-000000000000"); !errors.Is(err, polar.ErrOrderNotFound) {
		t.Errorf("unknown order id: %v", err)
	}
	if got := c.DashboardHost(); got != "https://polar.sh" {
		t.Errorf("dashboard host %q", got)
	}
}

// What is kept already is answered without a request: a customer's
// subscriptions only while the billing TTL holds them, the products as
// long as the catalog.
func TestKeptPlansAskNothing(t *testing.T) {
	api := startDemo(t, false)
	ctx := context.Background()
	off := api.cached(t, cache.Config{})
	if _, err := off.ListSubscriptions(ctx, polar.ByID(demoAlice)); err != nil {
		t.Fatal(err)
	}
	if subs, ok := off.KeptSubscriptions(demoAlice); ok || subs != nil {
		t.Errorf("subscriptions kept without a billing TTL: %v", subs)
	}

	kept := api.cached(t, cache.Config{BillingTTL: 5 * time.Second})
	if _, ok := kept.KeptSubscriptions(demoAlice); ok {
		t.Error("subscriptions known before any read")
	}
	subs, err := kept.ListSubscriptions(ctx, polar.ByID(demoAlice))
	if err != nil || len(subs) == 0 {
		t.Fatalf("subscriptions %v, %v", subs, err)
	}
	products, err := kept.ListProducts(ctx)
	if err != nil || len(products) == 0 {
		t.Fatalf("products %v, %v", products, err)
	}
	before := len(api.paths())
	got, ok := kept.KeptSubscriptions(demoAlice)
	if !ok || len(got) != len(subs) || got[0].ID != subs[0].ID {
		t.Errorf("kept subscriptions %v, %v", got, ok)
	}
	if p, ok := kept.KeptProduct(products[0].ID); !ok || p.Name != products[0].Name {
		t.Errorf("kept product %v, %v", p, ok)
	}
	if _, ok := kept.KeptProduct("0d0d0d0d-0000-4000-8000-000000000000"); ok {
		t.Error("an unknown product is kept")
	}
	kept.ForgetCustomer(demoAlice)
	if _, ok := kept.KeptSubscriptions(demoAlice); ok {
		t.Error("subscriptions still kept after the customer was forgotten")
	}
	if after := len(api.paths()); after != before {
		t.Errorf("kept reads asked Polar: %v", api.paths()[before:])
	}
}

func TestDashboardHostFollowsTheEnvironment(t *testing.T) {
	for env, want := range map[string]string{"": "https://polar.sh", "production": "https://polar.sh", "sandbox": "https://sandbox.polar.sh"} {
		sdk, err := polar.New(polar.Config{AccessToken: "polar_oat_x", Environment: env})
		if err != nil {
			t.Fatal(err)
		}
		if got := cache.New(sdk, cache.Config{}).DashboardHost(); got != want {
			t.Errorf("%q: %q, want %q", env, got, want)
		}
	}
}

func countPath(paths []string, p string) int {
	n := 0
	for _, x := range paths {
		if x == p {
			n++
		}
	}
	return n
}

// Without organizations:read there is no slug, asked once, not per look-up.
func TestNoSlugWithoutTheScopeIsKept(t *testing.T) {
	fake, err := fakepolar.Demo(fakepolar.Options{Tokens: map[string][]string{"polar_oat_noorg": {"customers:read"}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	sdk, err := polar.New(polar.Config{AccessToken: "polar_oat_noorg", ServerURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	c := cache.New(sdk, cache.Config{})
	for range 3 {
		if slug, err := c.OrganizationSlug(context.Background()); slug != "" || err != nil {
			t.Fatalf("slug %q, %v", slug, err)
		}
	}
	if n := fake.RequestCount(); n != 1 {
		t.Errorf("%d requests for the slug, want 1", n)
	}
}
