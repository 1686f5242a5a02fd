package fleet_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/fleet"
	"github.com/polar-mcp/polar-mcp/internal/tenants/connections"
	"github.com/polar-mcp/polar-mcp/polar"
)

// A negative POLAR_MCP_RATE_LIMIT turns client-side limiting off for every
// adapter; otherwise every organization gets a limiter.
func TestLimitersFollowTheOperatorsSettings(t *testing.T) {
	a := fleet.NewAdapters(config.Config{RateLimit: -1}, slog.New(slog.DiscardHandler), nil)
	if _, ok := a.Limiter(connections.Production, "org", 0).(polar.Unlimited); !ok {
		t.Error("POLAR_MCP_RATE_LIMIT=-1 still limits")
	}
	a = fleet.NewAdapters(config.Config{RateLimit: 120, RateHeadroom: 0.5}, slog.New(slog.DiscardHandler), nil)
	l := a.Limiter(connections.Sandbox, "org", 0)
	if l == nil {
		t.Fatal("no limiter")
	}
	if a.Limiter(connections.Sandbox, "org", 0) != l || a.Limiter(connections.Sandbox, "other", 0) == l {
		t.Error("an organization's adapters do not share one limiter, or two organizations share one")
	}
}

// One process without Redis holds the same hard ceiling as a fleet: the
// single merchant and a connection to its organization, pushed hard, send
// no more than the organization's budget within a window, bursts included.
func TestOneProcessHoldsTheCeilingWithoutRedis(t *testing.T) {
	fake, url := fakePolar(t, 0)
	const perMinute = 12 // POLAR_MCP_RATE_LIMIT=12, no headroom
	a := fleet.NewAdapters(config.Config{ServerURL: url, RateLimit: perMinute, RateHeadroom: -1}, slog.New(slog.DiscardHandler), nil)
	var clients []polar.Client
	for range 2 {
		sdk, err := a.SDK(connections.Production, fakepolar.DemoToken, a.Limiter(connections.Production, "org-local", 0))
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, sdk)
	}
	var wg sync.WaitGroup
	var refused atomic.Int32
	for _, c := range clients {
		for range 15 {
			wg.Go(func() {
				if _, err := c.ListProducts(context.Background()); errors.Is(err, polar.ErrBudgetSpent) {
					refused.Add(1)
				}
			})
		}
	}
	wg.Wait()
	if n := fake.RequestCount(); n != perMinute {
		t.Fatalf("30 calls sent %d requests within a minute; the organization's budget is %d", n, perMinute)
	}
	if refused.Load() != 30-perMinute {
		t.Fatalf("%d calls refused without sending, want %d", refused.Load(), 30-perMinute)
	}
}

// An organization is paced at the lowest budget any of its connections
// asks for: a connection asking for less slows it down, one asking for
// more changes nothing.
func TestLowerBudgetSlowsTheOrganization(t *testing.T) {
	fake, url := fakePolar(t, 0)
	a := fleet.NewAdapters(config.Config{ServerURL: url, RateLimit: 60, RateHeadroom: -1}, slog.New(slog.DiscardHandler), nil)
	sent := func(l polar.RateLimiter) int {
		sdk, err := a.SDK(connections.Production, fakepolar.DemoToken, l)
		if err != nil {
			t.Fatal(err)
		}
		fake.ResetRequests()
		flood(t, sdk, 70)
		return fake.RequestCount()
	}
	l := a.Limiter(connections.Production, "org-faster", 0)
	if a.Limiter(connections.Production, "org-faster", 120) != l {
		t.Fatal("a connection asking for more got a limiter of its own")
	}
	if n := sent(l); n != 60 {
		t.Errorf("at 60/min, after a connection asked for 120: a flood of 70 sent %d, want 60", n)
	}
	l = a.Limiter(connections.Production, "org-slower", 0)
	a.Limiter(connections.Production, "org-slower", 6)
	if n := sent(l); n != 6 {
		t.Errorf("after a connection asked for 6/min: a flood of 70 sent %d, want 6", n)
	}
}
