package merchants_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, for fresh schemas

	"github.com/polar-mcp/polar-mcp/connections"
	"github.com/polar-mcp/polar-mcp/keyring"
	"github.com/polar-mcp/polar-mcp/merchants"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/fakepolar"
)

// envPostgresURL names a PostgreSQL database the tests may create schemas
// in; .ci/postgres.sh starts one and sets it.
const envPostgresURL = "POLAR_MCP_TEST_POSTGRES_URL"

// eachBackend runs test on a fresh SQLite file, and on a fresh PostgreSQL
// schema when POLAR_MCP_TEST_POSTGRES_URL is set.
func eachBackend(t *testing.T, test func(t *testing.T, dbURL string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		test(t, filepath.Join(t.TempDir(), "connections.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv(envPostgresURL)
		if base == "" {
			t.Skip(envPostgresURL + " is not set; `source .ci/postgres.sh` starts a PostgreSQL and sets it")
		}
		test(t, freshSchema(t, base))
	})
}

// freshSchema creates a schema dropped when the test ends and returns a
// URL whose search_path is that schema.
func freshSchema(t *testing.T, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	rand.Read(b)
	schema := "merchants_" + hex.EncodeToString(b)
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() { admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`) })
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}

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
	pair        *fakepolar.Pair
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
	pair, err := fakepolar.NewPair(fakepolar.Options{Tokens: map[string][]string{
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
func (m *merchantsPolar) adapters(env connections.Environment, tok string, limiter *polar.Limiter) (merchants.Adapter, error) {
	return polar.New(polar.Config{AccessToken: tok, Environment: string(env), ServerURL: m.url, Limiter: limiter})
}

// requests counts the requests both fakes received.
func (m *merchantsPolar) requests() int { return m.pair.RequestCount() }

func newService(t *testing.T, store merchants.Store, m *merchantsPolar, live merchants.Live) *merchants.Service {
	t.Helper()
	svc, err := merchants.NewService(merchants.ServiceConfig{Store: store, NewAdapter: m.adapters, Live: live, Logger: discard()})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}
