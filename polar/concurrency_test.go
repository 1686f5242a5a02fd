package polar_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/polar-mcp/polar-mcp/polar"
)

// TestConcurrentCallsKeepTheirOwnBodies runs different methods at once on
// one client: each capture must hold its own call's body.
func TestConcurrentCallsKeepTheirOwnBodies(t *testing.T) {
	bodies := map[string]string{
		"/v1/subscriptions/": fixture(t, "subscriptions_list.json"),
		"/v1/orders/":        fixture(t, "orders_list.json"),
		"/v1/benefits/":      fixture(t, "benefits_list.json"),
		"/v1/products/":      fixture(t, "products_list.json"),
	}
	c, _ := newClient(t, func(_ int, r *http.Request) reply {
		if strings.HasSuffix(r.URL.Path, "/state") {
			return ok(fixture(t, "customer_state.json"))
		}
		return ok(bodies[r.URL.Path])
	})
	ctx := context.Background()
	checks := []func() bool{
		func() bool {
			s, err := c.ListSubscriptions(ctx, polar.ByID(customerID))
			return err == nil && len(s) == 3 && s[1].Status == "paused"
		},
		func() bool {
			o, err := c.ListOrders(ctx, polar.ByID(customerID), 10)
			return err == nil && len(o) == 4 && o[1].Status == "draft"
		},
		func() bool {
			b, err := c.ListBenefits(ctx)
			return err == nil && len(b) == 3 && b[1].Type == "feature_flag"
		},
		func() bool { p, err := c.ListProducts(ctx); return err == nil && len(p) == 4 && p[1].Name == "Team" },
		func() bool {
			s, err := c.CustomerState(ctx, polar.ByID(customerID))
			return err == nil && len(s.GrantedBenefits) == 3
		},
	}
	var wg sync.WaitGroup
	failures := make(chan int, 10*len(checks))
	for range 10 {
		for i, check := range checks {
			wg.Go(func() {
				if !check() {
					failures <- i
				}
			})
		}
	}
	wg.Wait()
	close(failures)
	for i := range failures {
		t.Errorf("concurrent call %d got another call's body or failed", i)
	}
}
