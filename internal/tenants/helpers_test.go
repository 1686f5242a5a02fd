package tenants_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
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

// openStore opens the store at url under a fresh master key.
func openStore(t *testing.T, url string) (*connections.Store, string) {
	t.Helper()
	key, err := keyring.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return reopen(t, url, "k1:"+key), "k1:" + key
}

// reopen opens another handle on the store at url, as another process
// would.
func reopen(t *testing.T, url, keys string) *connections.Store {
	t.Helper()
	ring, err := keyring.Parse(keys)
	if err != nil {
		t.Fatal(err)
	}
	s, err := connections.Open(context.Background(), url, ring)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// token returns a fresh Polar-shaped token named after what it is for.
func token(what string) string {
	b := make([]byte, 12)
	rand.Read(b)
	return "polar_oat_" + what + "_" + hex.EncodeToString(b)
}

// merchantsPolar is two Polar organizations behind one URL, each on its
// own fake: the demo (Northwind Cloud) and other (Kestrel Analytics Ltd).
// Tokens pick the organization.
type merchantsPolar struct {
	pair        *testkit.Pair
	demo, other *fakepolar.Server
	url         string

	northwind, kestrel, noPortal, noOrgRead, noOrders string
}

func newMerchantsPolar(t *testing.T) *merchantsPolar {
	t.Helper()
	m := &merchantsPolar{
		northwind: token("northwind"), kestrel: token("kestrel"), noPortal: token("noportal"),
		noOrgRead: token("noorgread"), noOrders: token("noorders"),
	}
	pair, err := testkit.NewPair(fakepolar.Options{Tokens: map[string][]string{
		m.northwind: fakepolar.AllScopes(),
		m.noPortal:  without("customer_sessions:write"),
		m.noOrgRead: without("organizations:read", "organizations:write"),
		m.noOrders:  without("orders:read", "benefits:read", "benefits:write"),
	}}, fakepolar.Options{Tokens: map[string][]string{m.kestrel: fakepolar.AllScopes()}})
	if err != nil {
		t.Fatal(err)
	}
	m.pair, m.demo, m.other = pair, pair.Demo, pair.Other
	srv := httptest.NewServer(pair)
	t.Cleanup(srv.Close)
	m.url = srv.URL
	return m
}

func without(drop ...string) []string {
	return slices.DeleteFunc(fakepolar.AllScopes(), func(s string) bool { return slices.Contains(drop, s) })
}

// adapters is the injected AdapterFunc: Kestrel's token reaches the other
// fake, every other token the demo fake (which answers 401 to strangers).
func (m *merchantsPolar) adapters(env connections.Environment, tok string, limiter polar.RateLimiter) (tenants.Adapter, error) {
	return polar.New(polar.Config{AccessToken: tok, Environment: string(env), ServerURL: m.url, Limiter: limiter})
}

// requests counts the requests both fakes received.
func (m *merchantsPolar) requests() int { return m.pair.RequestCount() }

func newService(t *testing.T, store tenants.Store, m *merchantsPolar, live tenants.Live) *tenants.Service {
	t.Helper()
	svc, err := tenants.NewService(tenants.ServiceConfig{Store: store, NewAdapter: m.adapters, NewLimiter: limiter, Live: live, Logger: discard()})
	if err != nil {
		t.Fatal(err)
	}
	return svc
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
