package fleet

import (
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/tenants/connections"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/polar"
)

// The fleet's shared budget, end to end: adapters of several instances
// (each its own Fleet on one Redis database) against one fake Polar.

// flood calls ListProducts each times on every client at once, and
// returns how many calls refused says were refused.
func flood(clients []polar.Client, each int, refused func(error) bool) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	n := 0
	for _, c := range clients {
		for range each {
			wg.Go(func() {
				if _, err := c.ListProducts(context.Background()); refused(err) {
					mu.Lock()
					n++
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	return n
}

// instances builds n instances on cfg, each its fleet (closed when t
// ends) and its adapters.
func instances(t *testing.T, cfg config.Config, n int) []*Adapters {
	t.Helper()
	var out []*Adapters
	for range n {
		f, err := NewFleet(cfg, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = f.Close() })
		out = append(out, NewAdapters(cfg, slog.New(slog.DiscardHandler), nil).WithFleet(f))
	}
	return out
}

// Three instances, each with adapters for the same organization (a single
// merchant and a connection), never send more than the organization's
// budget within a window, however hard they are pushed.
func TestFleetSharesOneBudgetPerOrganization(t *testing.T) {
	redis := testkit.RedisDatabase(t)
	fake, ts := testkit.DemoPolar(t)
	org := "org-budget-" + time.Now().Format("150405.000000000")
	const perMinute = 12 // POLAR_MCP_RATE_LIMIT=12, no headroom
	cfg := config.Config{ServerURL: ts.URL, RateLimit: perMinute, RateHeadroom: -1, RedisURL: redis, ExpectedInstances: 3}
	var clients []polar.Client
	for _, a := range instances(t, cfg, 3) {
		for range 2 { // the root and a connection to the same organization
			sdk, err := a.SDK(connections.Production, fakepolar.DemoToken, a.Limiter(connections.Production, org, 0))
			if err != nil {
				t.Fatal(err)
			}
			clients = append(clients, sdk)
		}
	}
	refused := flood(clients, 5, func(err error) bool {
		var pe *polar.Error
		return errors.As(err, &pe) && pe.Kind == polar.KindRateLimited && errors.Is(err, polar.ErrBudgetSpent)
	})
	if n := fake.RequestCount(); n != perMinute {
		t.Fatalf("30 calls from 3 instances sent %d requests within a minute; the organization's budget is %d", n, perMinute)
	}
	if refused != 30-perMinute {
		t.Fatalf("%d calls refused without sending, want %d", refused, 30-perMinute)
	}
}

// A 429 at one instance pauses the organization at every instance: the
// next call elsewhere is refused without a request.
func TestFleetShares429Pause(t *testing.T) {
	redis := testkit.RedisDatabase(t)
	fake, err := fakepolar.Demo(fakepolar.Options{RateLimit: 2})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(fake)
	defer ts.Close()
	org := "org-pause-" + time.Now().Format("150405.000000000")
	cfg := config.Config{ServerURL: ts.URL, RateLimit: 1000, RedisURL: redis, ExpectedInstances: 2}
	var sdks []polar.Client
	for _, a := range instances(t, cfg, 2) {
		sdk, err := a.SDK(connections.Production, fakepolar.DemoToken, a.Limiter(connections.Production, org, 0))
		if err != nil {
			t.Fatal(err)
		}
		sdks = append(sdks, sdk)
	}
	for i := 0; ; i++ {
		_, err := sdks[0].ListProducts(context.Background())
		if e, ok := polar.AsError(err); ok && e.Kind == polar.KindRateLimited {
			break
		}
		if i > 5 {
			t.Fatal("the fake never answered 429")
		}
	}
	before := fake.RequestCount()
	_, err = sdks[1].ListProducts(context.Background())
	if !errors.Is(err, polar.ErrBudgetSpent) {
		t.Fatalf("the other instance's call after a 429: %v, want a refusal without sending", err)
	}
	if n := fake.RequestCount(); n != before {
		t.Fatalf("the other instance sent %d requests during the pause", n-before)
	}
}

// Until the single merchant's organization is known, three replicas with
// the same token still share one budget (keyed by a digest of the token,
// which is in no Redis key): 30 calls send exactly the budget, and the
// rest are refused without a request.
func TestReplicasShareTheTokenBudgetBeforeTheOrganizationIsKnown(t *testing.T) {
	redisURL := testkit.RedisDatabase(t)
	fake, ts := testkit.DemoPolar(t)
	const perMinute = 12
	cfg := config.Config{ServerURL: ts.URL, RateLimit: perMinute, RateHeadroom: -1, RedisURL: redisURL,
		AccessToken: fakepolar.DemoToken, Environment: config.Production} // POLAR_MCP_EXPECTED_INSTANCES left at 1
	var clients []polar.Client
	for _, a := range instances(t, cfg, 3) {
		m, err := a.Merchant()
		if err != nil {
			t.Fatal(err)
		}
		if m.Org() != "" {
			t.Fatal("the organization is known before it is learned")
		}
		clients = append(clients, m.sdk)
	}
	refused := flood(clients, 10, func(err error) bool { return errors.Is(err, polar.ErrBudgetSpent) })
	if n := fake.RequestCount(); n != perMinute {
		t.Fatalf("30 calls from 3 replicas whose organization is unknown sent %d requests within a minute; the budget is %d", n, perMinute)
	}
	if refused != 30-perMinute {
		t.Errorf("%d calls refused without sending, want %d", refused, 30-perMinute)
	}
	keys, err := testkit.RedisAt(t, redisURL).Keys(t.Context(), "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if strings.Contains(k, fakepolar.DemoToken) {
			t.Errorf("the token is in a Redis key: %s", k)
		}
	}
}
