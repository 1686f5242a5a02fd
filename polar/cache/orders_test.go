package cache_test

import (
	"testing"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
)

// TestCachedOrdersKeyedByLimit: a kept order list answers only calls with
// the same limit; the inner client applies the limit (0 is its default).
func TestCachedOrdersKeyedByLimit(t *testing.T) {
	api := startDemo(t, false)
	c := api.cached(t, cache.Config{BillingTTL: config.MaxBillingTTL})
	ref := polar.ByID(demoAlice)
	all, err := c.ListOrders(t.Context(), ref, 0)
	if err != nil || len(all) <= 2 {
		t.Fatalf("the demo customer needs more than 2 orders: %d, %v", len(all), err)
	}
	for _, tt := range []struct{ limit, want, requests int }{
		{1, 1, 1}, {1, 1, 0}, {2, 2, 1}, {0, len(all), 0},
	} {
		api.fake.ResetRequests()
		o, err := c.ListOrders(t.Context(), ref, tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(o) != tt.want {
			t.Errorf("limit %d: %d orders, want %d", tt.limit, len(o), tt.want)
		}
		if n := api.fake.RequestCount(); n != tt.requests {
			t.Errorf("limit %d: %d requests %v, want %d", tt.limit, n, api.paths(), tt.requests)
		}
	}
}
