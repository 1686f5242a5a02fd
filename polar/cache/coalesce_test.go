package cache_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
)

// TestCoalescesIdenticalCalls holds Polar's answer until every caller has
// asked: identical reads in flight make one request, cached or not.
func TestCoalescesIdenticalCalls(t *testing.T) {
	reads := map[string]func(ctx context.Context, c polar.Client) (int, error){
		"subscriptions (not cached)": func(ctx context.Context, c polar.Client) (int, error) {
			s, err := c.ListSubscriptions(ctx, polar.ByID(demoAlice))
			return len(s), err
		},
		"orders (not cached)": func(ctx context.Context, c polar.Client) (int, error) {
			s, err := c.ListOrders(ctx, polar.ByID(demoAlice), 10)
			return len(s), err
		},
		"products": func(ctx context.Context, c polar.Client) (int, error) {
			s, err := c.ListProducts(ctx)
			return len(s), err
		},
		"customer": func(ctx context.Context, c polar.Client) (int, error) {
			_, err := c.FindCustomerByEmail(ctx, aliceEmail)
			return 1, err
		},
	}
	for name, read := range reads {
		t.Run(name, func(t *testing.T) {
			api := startDemo(t, true)
			c := api.cached(t, cache.Config{})
			const n = 20
			got := make([]int, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					var err error
					if got[i], err = read(t.Context(), c); err != nil {
						t.Error(err)
					}
				})
			}
			eventually(t, "all callers wait on one call", func() bool { return c.Stats().CacheMisses == n })
			api.release()
			wg.Wait()
			if r := api.fake.RequestCount(); r != 1 {
				t.Errorf("%d identical concurrent reads sent %d requests, want 1", n, r)
			}
			for i := range got {
				if got[i] == 0 || got[i] != got[0] {
					t.Fatalf("callers got different answers: %v", got)
				}
			}
			if s := c.Stats(); s.Coalesced != n-1 {
				t.Errorf("Stats().Coalesced = %d, want %d", s.Coalesced, n-1)
			}
		})
	}
}

// TestCanceledCallerDoesNotCancelOthers cancels the caller whose call the
// others joined: it returns at once, and the others still get the answer.
func TestCanceledCallerDoesNotCancelOthers(t *testing.T) {
	api := startDemo(t, true)
	c := api.cached(t, cache.Config{})

	first, cancel := context.WithCancel(t.Context())
	firstDone := make(chan error, 1)
	go func() {
		_, err := c.ListOrders(first, polar.ByID(demoAlice), 10)
		firstDone <- err
	}()
	eventually(t, "the first call reaches Polar", func() bool { return api.arrived.Load() == 1 })

	type result struct {
		orders []polar.Order
		err    error
	}
	secondDone := make(chan result, 1)
	go func() {
		o, err := c.ListOrders(t.Context(), polar.ByID(demoAlice), 10)
		secondDone <- result{o, err}
	}()
	eventually(t, "the second caller joins", func() bool { return c.Stats().CacheMisses == 2 })

	cancel()
	select {
	case err := <-firstDone:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("canceled caller got %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the canceled caller kept waiting for the shared call")
	}

	api.release()
	second := <-secondDone
	if second.err != nil || len(second.orders) == 0 {
		t.Fatalf("the other caller got %d orders, %v", len(second.orders), second.err)
	}
	if n := api.fake.RequestCount(); n != 1 {
		t.Errorf("%d requests, want the one shared request", n)
	}
}

// TestCanceledContextSendsNothing: a caller whose context is already done
// gets its error without a request.
func TestCanceledContextSendsNothing(t *testing.T) {
	api := startDemo(t, false)
	c := api.cached(t, cache.Config{})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := c.ListSubscriptions(ctx, polar.ByID(demoAlice)); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if n := api.fake.RequestCount(); n != 0 {
		t.Errorf("%d requests for a canceled call", n)
	}
}

func TestCachedSessionsAreNeverShared(t *testing.T) {
	api := startDemo(t, true)
	c := api.cached(t, cache.Config{BillingTTL: config.MaxBillingTTL})
	const n = 5
	urls := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			s, err := c.CreateCustomerSession(t.Context(), polar.ByID(demoAlice))
			if err != nil {
				t.Error(err)
				return
			}
			urls[i] = s.CustomerPortalURL
		})
	}
	eventually(t, "every concurrent session request reaches Polar", func() bool { return api.arrived.Load() == n })
	api.release()
	wg.Wait()
	if _, err := c.CreateCustomerSession(t.Context(), polar.ByID(demoAlice)); err != nil {
		t.Fatal(err)
	}
	if got := api.fake.RequestCount(); got != n+1 {
		t.Errorf("%d session requests, want %d", got, n+1)
	}
	slices.Sort(urls)
	if len(slices.Compact(urls)) != n {
		t.Errorf("sessions share portal URLs: %v", urls)
	}
}
