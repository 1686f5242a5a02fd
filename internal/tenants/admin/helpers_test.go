package admin_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/fleet"
	"github.com/polar-mcp/polar-mcp/internal/tenants"
	"github.com/polar-mcp/polar-mcp/internal/tenants/connections"
	"github.com/polar-mcp/polar-mcp/internal/tenants/keyring"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/polar"
)

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// token returns a fresh Polar-shaped token named after what it is for.
func token(what string) string {
	b := make([]byte, 12)
	rand.Read(b)
	return "polar_oat_" + what + "_" + hex.EncodeToString(b)
}

// tokens are the Polar tokens the fakes know: Northwind Cloud (the demo
// organization) with every scope, and without the order scopes; Kestrel
// Analytics Ltd (the other) with every scope.
type tokens struct {
	northwind, kestrel, noOrders string
}

// routed is a running server's merchants side over two connections,
// Northwind (a) and Kestrel (b), on a real store and fake Polar.
type routed struct {
	m      tokens
	store  *connections.Store
	router *tenants.Router
	svc    *tenants.Service
	a, b   string // connection ids
}

func newRouted(t *testing.T, url string) *routed {
	t.Helper()
	m := tokens{northwind: token("northwind"), kestrel: token("kestrel"), noOrders: token("noorders")}
	noOrders := slices.DeleteFunc(fakepolar.AllScopes(), func(s string) bool {
		return slices.Contains([]string{"orders:read", "benefits:read", "benefits:write"}, s)
	})
	pair, err := testkit.NewPair(
		fakepolar.Options{Tokens: map[string][]string{m.northwind: fakepolar.AllScopes(), m.noOrders: noOrders}},
		fakepolar.Options{Tokens: map[string][]string{m.kestrel: fakepolar.AllScopes()}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(pair)
	t.Cleanup(srv.Close)
	adapters := func(env connections.Environment, tok string, l polar.RateLimiter) (tenants.Adapter, error) {
		return polar.New(polar.Config{AccessToken: tok, Environment: string(env), ServerURL: srv.URL, Limiter: l})
	}

	key, err := keyring.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	ring, err := keyring.Parse("k1:" + key)
	if err != nil {
		t.Fatal(err)
	}
	r := &routed{m: m}
	if r.store, err = connections.Open(context.Background(), url, ring); err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { r.store.Close() })
	if r.router, err = tenants.NewRouter(tenants.RouterConfig{Store: r.store, NewAdapter: adapters,
		NewLimiter: limiter, NewCache: testkit.Cache[connections.Connection], Logger: discard()}); err != nil {
		t.Fatal(err)
	}
	if r.svc, err = tenants.NewService(tenants.ServiceConfig{Store: r.store, NewAdapter: adapters, NewLimiter: limiter, Live: r.router, Logger: discard()}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := r.svc.Add(ctx, tenants.AddRequest{Environment: "sandbox", Token: m.northwind})
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.svc.Add(ctx, tenants.AddRequest{Environment: "production", Token: m.kestrel})
	if err != nil {
		t.Fatal(err)
	}
	r.a, r.b = a.Connection.ID, b.Connection.ID
	return r
}

// limiter paces an organization at perMinute, or when it is 0 at Polar's
// published limit for env, less the default headroom: the server's
// limiter over a budget of its own in this process (a new one per call,
// whatever the organization). It is a tenants.LimiterFunc.
func limiter(env connections.Environment, org string, perMinute int) polar.RateLimiter {
	budget := fleet.NewLocalBudget(fleet.Limits{PerWindow: polar.RateBudget(polar.Config{
		Environment: string(env), RequestsPerMinute: perMinute})}, nil)
	return fleet.NewLimiter(budget, org, 0)
}
