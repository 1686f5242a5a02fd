package cache_test

import (
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
)

// A refresh asks Polar again; it keeps what is kept about the customer
// when the address still leads there, and drops it when it moved.
func TestRefreshCustomerByEmail(t *testing.T) {
	api := startDemo(t, false)
	c := api.cached(t, cache.Config{BillingTTL: 5 * time.Second})
	ctx := t.Context()
	if _, err := c.FindCustomerByEmail(ctx, aliceEmail); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListSubscriptions(ctx, polar.ByID(demoAlice)); err != nil {
		t.Fatal(err)
	}
	api.fake.ResetRequests()
	got, err := c.RefreshCustomerByEmail(ctx, aliceEmail)
	if err != nil || got.ID != demoAlice {
		t.Fatalf("refresh = %v, %v", got, err)
	}
	if _, err := c.ListSubscriptions(ctx, polar.ByID(demoAlice)); err != nil {
		t.Fatal(err)
	}
	if n := api.fake.RequestCount(); n != 1 {
		t.Errorf("refresh then a kept read: %d requests, want 1 (the refresh only)", n)
	}

	// The address moves to another customer: what was kept about Alice goes.
	if _, err := api.fake.UpdateCustomer(demoAlice, map[string]any{"email": "alice.new@example.com"}); err != nil {
		t.Fatal(err)
	}
	newcomer, err := api.fake.AddCustomer(map[string]any{"email": aliceEmail, "name": "New Alice"})
	if err != nil {
		t.Fatal(err)
	}
	got, err = c.RefreshCustomerByEmail(ctx, aliceEmail)
	if err != nil || got.ID != newcomer["id"] {
		t.Fatalf("refresh after the move = %v, %v; want %v", got, err, newcomer["id"])
	}
	api.fake.ResetRequests()
	if _, err := c.ListSubscriptions(ctx, polar.ByID(demoAlice)); err != nil {
		t.Fatal(err)
	}
	if n := api.fake.RequestCount(); n != 1 {
		t.Errorf("Alice's kept subscriptions after the move: %d requests, want 1 (dropped)", n)
	}
	if got, err := c.FindCustomerByEmail(ctx, aliceEmail); err != nil || got.ID != newcomer["id"] {
		t.Errorf("lookup after the refresh = %v, %v", got, err)
	}
}

// A lookup answered from what was kept says so (the tools then confirm an
// empty answer with a fresh lookup), unless webhooks arriving vouch for it.
func TestKeptLookupsSayTheyWereKept(t *testing.T) {
	for name, tt := range map[string]struct {
		cfg  cache.Config
		kept bool
	}{
		"no webhooks":       {cache.Config{}, true},
		"webhooks arriving": {cache.Config{Invalidated: true, Fresh: func() bool { return true }}, false},
		"webhooks stopped":  {cache.Config{Invalidated: true, Fresh: func() bool { return false }}, true},
	} {
		t.Run(name, func(t *testing.T) {
			api := startDemo(t, false)
			c := api.cached(t, tt.cfg)
			first, err := c.FindCustomerByEmail(t.Context(), aliceEmail)
			if err != nil || first.Kept {
				t.Fatalf("cold lookup: %+v, %v; want Kept false", first, err)
			}
			again, err := c.FindCustomerByEmail(t.Context(), aliceEmail)
			if err != nil || again.Kept != tt.kept {
				t.Errorf("warm lookup: Kept = %v, %v; want %v", again.Kept, err, tt.kept)
			}
		})
	}
}
