package polarmcp

import (
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/tenants/connections"
	"github.com/polar-mcp/polar-mcp/polar"
)

// The demo serves the single merchant from memory; connections still
// reach the operator's Polar server, with their own token.
func TestDemoIsTheSingleMerchantOnly(t *testing.T) {
	const connToken = "polar_oat_connection_token"
	fake, err := fakepolar.Demo(fakepolar.Options{Tokens: map[string][]string{connToken: fakepolar.AllScopes()}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(fake)
	defer ts.Close()
	a := NewAdapters(config.Config{Demo: true, ServerURL: ts.URL, Environment: config.Production}, slog.New(slog.DiscardHandler))

	merchant, err := a.Merchant()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := merchant.ListProducts(context.Background()); err != nil {
		t.Fatalf("demo merchant: %v", err)
	}
	if n := fake.RequestCount(); n != 0 {
		t.Fatalf("the demo merchant sent %d requests over the network", n)
	}

	conn, err := a.SDK(connections.Sandbox, connToken, a.Limiter(connections.Sandbox, "org", 0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ListProducts(context.Background()); err != nil {
		t.Fatalf("connection: %v", err)
	}
	if n := fake.RequestCount(); n != 1 {
		t.Fatalf("the connection sent %d requests to the operator's server, want 1", n)
	}
}

// A negative POLAR_MCP_RATE_LIMIT turns client-side limiting off for every
// adapter; otherwise every organization gets a limiter.
func TestLimitersFollowTheOperatorsSettings(t *testing.T) {
	a := NewAdapters(config.Config{RateLimit: -1}, slog.New(slog.DiscardHandler))
	if l, ok := a.Limiter(connections.Production, "org", 0).(*polar.Limiter); !ok || l != nil {
		t.Error("POLAR_MCP_RATE_LIMIT=-1 still limits")
	}
	a = NewAdapters(config.Config{RateLimit: 120, RateHeadroom: 0.5}, slog.New(slog.DiscardHandler))
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
	fake, ts := demoAPI(t)
	const perMinute = 12 // POLAR_MCP_RATE_LIMIT=12, no headroom
	a := NewAdapters(config.Config{ServerURL: ts.URL, RateLimit: perMinute, RateHeadroom: -1}, slog.New(slog.DiscardHandler))
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
