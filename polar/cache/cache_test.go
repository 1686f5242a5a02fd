package cache_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
)

// TestCachedQuestionRequests counts the upstream requests of each
// customer question, as the tools make them, cold and then warm.
func TestCachedQuestionRequests(t *testing.T) {
	parallel := func(fns ...func() error) error {
		errs := make([]error, len(fns))
		var wg sync.WaitGroup
		for i, fn := range fns {
			wg.Go(func() { errs[i] = fn() })
		}
		wg.Wait()
		return errors.Join(errs...)
	}
	questions := []struct {
		name       string
		ask        func(ctx context.Context, c polar.Client, id string) error
		cold, warm int
	}{
		{"subscriptions", func(ctx context.Context, c polar.Client, id string) error {
			_, err := c.ListSubscriptions(ctx, polar.ByID(id))
			return err
		}, 2, 1},
		{"orders", func(ctx context.Context, c polar.Client, id string) error {
			_, err := c.ListOrders(ctx, polar.ByID(id), 5)
			return err
		}, 2, 1},
		{"portal link", func(ctx context.Context, c polar.Client, id string) error {
			_, err := c.CreateCustomerSession(ctx, polar.ByID(id))
			return err
		}, 2, 1},
		{"benefits", func(ctx context.Context, c polar.Client, id string) error {
			return parallel(
				func() error { _, err := c.CustomerState(ctx, polar.ByID(id)); return err },
				func() error { _, err := c.ListBenefits(ctx); return err })
		}, 3, 1},
		{"agent insights", func(ctx context.Context, c polar.Client, id string) error {
			return parallel(
				func() error { _, err := c.ListSubscriptions(ctx, polar.ByID(id)); return err },
				func() error { _, err := c.ListOrders(ctx, polar.ByID(id), 10); return err },
				func() error { _, err := c.CustomerState(ctx, polar.ByID(id)); return err },
				func() error { _, err := c.ListBenefits(ctx); return err })
		}, 5, 3},
	}
	for _, q := range questions {
		t.Run(q.name, func(t *testing.T) {
			api := startDemo(t, false)
			c := api.cached(t, cache.Config{})
			ask := func() int {
				api.fake.ResetRequests()
				cust, err := c.FindCustomerByEmail(t.Context(), aliceEmail)
				if err != nil {
					t.Fatal(err)
				}
				if err := q.ask(t.Context(), c, cust.ID); err != nil {
					t.Fatal(err)
				}
				return api.fake.RequestCount()
			}
			if got := ask(); got != q.cold {
				t.Errorf("cold: %d upstream requests %v, want %d", got, api.paths(), q.cold)
			}
			if got := ask(); got != q.warm {
				t.Errorf("warm: %d upstream requests %v, want %d", got, api.paths(), q.warm)
			}
			if s := c.Stats(); s.Requests != uint64(q.cold+q.warm) {
				t.Errorf("Stats().Requests = %d, want %d", s.Requests, q.cold+q.warm)
			}
		})
	}
}

func TestCachedProductsWarmSendNothing(t *testing.T) {
	api := startDemo(t, false)
	c := api.cached(t, cache.Config{})
	cold, err := c.ListProducts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	api.fake.ResetRequests()
	warm, err := c.ListProducts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if n := api.fake.RequestCount(); n != 0 {
		t.Errorf("warm product list sent %d requests: %v", n, api.paths())
	}
	if len(warm) != len(cold) || len(warm) == 0 {
		t.Errorf("warm list has %d products, cold %d", len(warm), len(cold))
	}
	warm[0].Name = "changed by a caller"
	again, _ := c.ListProducts(t.Context())
	if again[0].Name == "changed by a caller" {
		t.Error("a caller's change to its slice reached the cache")
	}
}

func TestCachedTTLs(t *testing.T) {
	tests := []struct {
		name  string
		cfg   cache.Config
		call  func(ctx context.Context, c *cache.Client) error
		fresh time.Duration // still served from the cache after this
		stale time.Duration // asked again after this
	}{
		{"customer", cache.Config{}, func(ctx context.Context, c *cache.Client) error {
			_, err := c.FindCustomerByEmail(ctx, aliceEmail)
			return err
		}, 23 * time.Hour, 24 * time.Hour},
		{"custom customer TTL", cache.Config{CustomerTTL: time.Hour}, func(ctx context.Context, c *cache.Client) error {
			_, err := c.FindCustomerByEmail(ctx, aliceEmail)
			return err
		}, 59 * time.Minute, time.Hour},
		{"products", cache.Config{}, func(ctx context.Context, c *cache.Client) error {
			_, err := c.ListProducts(ctx)
			return err
		}, 59 * time.Second, time.Minute},
		{"benefits", cache.Config{}, func(ctx context.Context, c *cache.Client) error {
			_, err := c.ListBenefits(ctx)
			return err
		}, 59 * time.Second, time.Minute},
		{"subscriptions when asked", cache.Config{BillingTTL: 3 * time.Second}, func(ctx context.Context, c *cache.Client) error {
			_, err := c.ListSubscriptions(ctx, polar.ByID(demoAlice))
			return err
		}, 2 * time.Second, 3 * time.Second},
		{"billing TTL is capped", cache.Config{BillingTTL: time.Hour}, func(ctx context.Context, c *cache.Client) error {
			_, err := c.CustomerState(ctx, polar.ByID(demoAlice))
			return err
		}, 4 * time.Second, config.MaxBillingTTL},
		{"not found, webhooks arriving", cache.Config{Invalidated: true, Fresh: func() bool { return true }}, notFound, 29 * time.Second, 30 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := startDemo(t, false)
			clk := testkit.NewClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
			tt.cfg.Now = clk.Now
			c := api.cached(t, tt.cfg)
			expect := func(when string, want int) {
				t.Helper()
				api.fake.ResetRequests()
				if err := tt.call(t.Context(), c); err != nil {
					t.Fatal(err)
				}
				if got := api.fake.RequestCount(); got != want {
					t.Errorf("%s: %d requests %v, want %d", when, got, api.paths(), want)
				}
			}
			expect("cold", 1)
			clk.Advance(tt.fresh)
			expect("fresh", 0)
			clk.Advance(tt.stale - tt.fresh)
			expect("stale", 1)
		})
	}
}

func TestCachedBillingNotKeptByDefault(t *testing.T) {
	api := startDemo(t, false)
	c := api.cached(t, cache.Config{})
	for range 3 {
		if _, err := c.ListSubscriptions(t.Context(), polar.ByID(demoAlice)); err != nil {
			t.Fatal(err)
		}
		if _, err := c.CustomerState(t.Context(), polar.ByID(demoAlice)); err != nil {
			t.Fatal(err)
		}
	}
	if n := api.fake.RequestCount(); n != 6 {
		t.Errorf("%d requests for 3 rounds of subscriptions and state, want 6", n)
	}
}

func TestCachedEmailIsNormalized(t *testing.T) {
	api := startDemo(t, false)
	c := api.cached(t, cache.Config{})
	for _, e := range []string{" ALICE@Example.com ", aliceEmail, "Alice@example.com"} {
		cust, err := c.FindCustomerByEmail(t.Context(), e)
		if err != nil || cust.ID != demoAlice {
			t.Fatalf("%q: %+v, %v", e, cust, err)
		}
	}
	if n := api.fake.RequestCount(); n != 1 {
		t.Errorf("%d requests for one email in three spellings, want 1", n)
	}
}

// TestCachedNotFoundDropsCustomer: a 404 for a customer id from any later
// call drops the cached email for that customer, and only that one.
func TestCachedNotFoundDropsCustomer(t *testing.T) {
	calls := map[string]struct {
		path string
		call func(ctx context.Context, c *cache.Client) error
	}{
		"customer state": {"/v1/customers/" + demoAlice + "/state", func(ctx context.Context, c *cache.Client) error {
			_, err := c.CustomerState(ctx, polar.ByID(demoAlice))
			return err
		}},
		"subscriptions": {"/v1/subscriptions/", func(ctx context.Context, c *cache.Client) error {
			_, err := c.ListSubscriptions(ctx, polar.ByID(demoAlice))
			return err
		}},
		"orders": {"/v1/orders/", func(ctx context.Context, c *cache.Client) error {
			_, err := c.ListOrders(ctx, polar.ByID(demoAlice), 0)
			return err
		}},
		"portal session": {"/v1/customer-sessions/", func(ctx context.Context, c *cache.Client) error {
			_, err := c.CreateCustomerSession(ctx, polar.ByID(demoAlice))
			return err
		}},
	}
	for name, tt := range calls {
		t.Run(name, func(t *testing.T) {
			api := startDemo(t, false)
			c := api.cached(t, cache.Config{BillingTTL: config.MaxBillingTTL})
			for _, e := range []string{aliceEmail, bobEmail} {
				if _, err := c.FindCustomerByEmail(t.Context(), e); err != nil {
					t.Fatal(err)
				}
			}
			api.fake.InjectFault(fakepolar.Fault{Path: tt.path, Status: http.StatusNotFound, Times: 1})
			if err := tt.call(t.Context(), c); kind(t, err) != polar.KindNotFound {
				t.Fatalf("injected 404 gave %v", err)
			}

			api.fake.ResetRequests()
			if _, err := c.FindCustomerByEmail(t.Context(), bobEmail); err != nil {
				t.Fatal(err)
			}
			if n := api.fake.RequestCount(); n != 0 {
				t.Errorf("another customer's entry was dropped: %v", api.paths())
			}
			if _, err := c.FindCustomerByEmail(t.Context(), aliceEmail); err != nil {
				t.Fatal(err)
			}
			if got := api.paths(); !slices.Equal(got, []string{"GET /v1/customers/"}) {
				t.Errorf("after the 404, resolving alice sent %v, want one customer lookup", got)
			}
		})
	}
}

func TestCachedErrorsAreNotKept(t *testing.T) {
	api := startDemo(t, false)
	c := api.cached(t, cache.Config{})
	// 500, not 502: a 502 is retried (retry.go) and would succeed.
	api.fake.InjectFault(fakepolar.Fault{Path: "/v1/products/", Status: http.StatusInternalServerError, Times: 1})
	api.fake.InjectFault(fakepolar.Fault{Path: "/v1/customers/", Status: http.StatusInternalServerError, Times: 1})
	if _, err := c.ListProducts(t.Context()); kind(t, err) != polar.KindUnavailable {
		t.Fatalf("injected 500 gave %v", err)
	}
	if _, err := c.FindCustomerByEmail(t.Context(), aliceEmail); kind(t, err) != polar.KindUnavailable {
		t.Fatalf("injected 500 gave %v", err)
	}
	if p, err := c.ListProducts(t.Context()); err != nil || len(p) == 0 {
		t.Errorf("products after a failure: %d, %v", len(p), err)
	}
	if cust, err := c.FindCustomerByEmail(t.Context(), aliceEmail); err != nil || cust.ID != demoAlice {
		t.Errorf("alice after a failure: %+v, %v", cust, err)
	}
	if n := api.fake.RequestCount(); n != 4 {
		t.Errorf("%d requests, want 4: failures must not be served from the cache", n)
	}
}

// notFound looks up an address no demo customer has.
func notFound(ctx context.Context, c *cache.Client) error {
	_, err := c.FindCustomerByEmail(ctx, "nobody@example.com")
	if !errors.Is(err, polar.ErrCustomerNotFound) {
		return errors.New("nobody@example.com was found")
	}
	return nil
}

// "No customer has this email" is never kept without webhooks, nor served
// while they stopped: a customer who signs up is found at once.
func TestNotFoundIsKeptOnlyWhileWebhooksArrive(t *testing.T) {
	arriving := true
	for name, cfg := range map[string]cache.Config{
		"no webhooks":       {},
		"webhooks stopped":  {Invalidated: true, Fresh: func() bool { return false }},
		"webhooks arriving": {Invalidated: true, Fresh: func() bool { return arriving }},
	} {
		t.Run(name, func(t *testing.T) {
			api := startDemo(t, false)
			c := api.cached(t, cfg)
			ctx := t.Context()
			if err := notFound(ctx, c); err != nil {
				t.Fatal(err)
			}
			api.fake.ResetRequests()
			if err := notFound(ctx, c); err != nil {
				t.Fatal(err)
			}
			kept := api.fake.RequestCount() == 0
			if want := name == "webhooks arriving"; kept != want {
				t.Errorf("a second lookup answered from what was kept: %v, want %v", kept, want)
			}
			if name != "webhooks arriving" {
				return
			}
			arriving = false // deliveries stop: what was kept is not served
			api.fake.ResetRequests()
			if err := notFound(ctx, c); err != nil {
				t.Fatal(err)
			}
			if api.fake.RequestCount() != 1 {
				t.Error("a kept \"no customer\" was served after webhooks stopped")
			}
		})
	}
}
