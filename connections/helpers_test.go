package connections

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/keyring"
)

// envPostgresURL names a PostgreSQL database the tests may create schemas
// in. .ci/postgres.sh starts one and sets it.
const envPostgresURL = "POLAR_MCP_TEST_POSTGRES_URL"

// backend makes fresh, empty databases of one kind.
type backend struct {
	name  string
	newDB func(t *testing.T) string // returns a database URL
}

// eachBackend runs test against SQLite, and against PostgreSQL when
// POLAR_MCP_TEST_POSTGRES_URL is set.
func eachBackend(t *testing.T, test func(t *testing.T, b backend)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		test(t, backend{name: "sqlite", newDB: func(t *testing.T) string {
			return filepath.Join(t.TempDir(), "connections.db")
		}})
	})
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv(envPostgresURL)
		if base == "" {
			t.Skip(envPostgresURL + " is not set; `source .ci/postgres.sh` starts a PostgreSQL and sets it")
		}
		test(t, backend{name: "postgres", newDB: func(t *testing.T) string { return freshSchema(t, base) }})
	})
}

// freshSchema creates a schema for one test, dropped when it ends, and
// returns a URL whose search_path is that schema.
func freshSchema(t *testing.T, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
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

// newRing returns a ring of fresh keys with the given ids, first primary.
func newRing(t *testing.T, ids ...string) (*keyring.Ring, map[string]string) {
	t.Helper()
	keys := map[string]string{}
	for _, id := range ids {
		k, err := keyring.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		keys[id] = k
	}
	return ringOf(t, keys, ids...), keys
}

// ringOf builds a ring from known keys, first id primary.
func ringOf(t *testing.T, keys map[string]string, ids ...string) *keyring.Ring {
	t.Helper()
	var spec []string
	for _, id := range ids {
		spec = append(spec, id+":"+keys[id])
	}
	r, err := keyring.Parse(strings.Join(spec, ","))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// open opens a store that closes when the test ends.
func open(t *testing.T, url string, ring *keyring.Ring, opts ...Option) *Store {
	t.Helper()
	s, err := Open(context.Background(), url, ring, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// testToken is shaped like a Polar organization access token.
func testToken(t *testing.T) string {
	b := make([]byte, 24)
	rand.Read(b)
	return "polar_oat_" + hex.EncodeToString(b)
}

func newConn(t *testing.T, name string) NewConnection {
	return NewConnection{
		Name:         name,
		Environment:  Sandbox,
		Token:        testToken(t),
		Organization: Organization{ID: "org-" + name, Name: "Org " + name},
		Scopes:       []string{"orders:read", "customers:read"},
	}
}

func mustCreate(t *testing.T, s *Store, n NewConnection) (Connection, Secret) {
	t.Helper()
	c, secret, err := s.Create(context.Background(), n)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	return c, secret
}
