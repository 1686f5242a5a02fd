package testkit

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, for fresh schemas
)

// EnvPostgresURL names a PostgreSQL database the tests may create schemas
// in. `source .ci/postgres.sh` starts one and sets it.
const EnvPostgresURL = "POLAR_MCP_TEST_POSTGRES_URL"

// Backend is one kind of database a store test runs on.
type Backend struct {
	// Name is "sqlite" or "postgres", the subtest's name.
	Name string
	// base is the PostgreSQL database to make schemas in; "" for SQLite.
	base string
}

// SQLite reports whether the backend is SQLite, whose databases are files.
func (b Backend) SQLite() bool { return b.base == "" }

// NewDB returns the URL of a fresh, empty database that goes away when t
// ends: a file in t.TempDir() on SQLite (the URL is its path), a schema on
// PostgreSQL (the URL's search_path). Each call makes another database.
func (b Backend) NewDB(t testing.TB) string {
	t.Helper()
	if b.SQLite() {
		return filepath.Join(t.TempDir(), "polar-mcp.db")
	}
	return FreshSchema(t, b.base)
}

// EachBackend runs test as the subtest "sqlite", and as "postgres" when
// POLAR_MCP_TEST_POSTGRES_URL is set (the subtest is skipped, saying how
// to set it, otherwise).
func EachBackend(t *testing.T, test func(t *testing.T, b Backend)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		test(t, Backend{Name: "sqlite"})
	})
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv(EnvPostgresURL)
		if base == "" {
			t.Skip(EnvPostgresURL + " is not set; `source .ci/postgres.sh` starts a PostgreSQL and sets it")
		}
		test(t, Backend{Name: "postgres", base: base})
	})
}

// FreshSchema creates a schema in the PostgreSQL database at base, dropped
// when t ends, and returns base with that schema as its search_path.
func FreshSchema(t testing.TB, base string) string {
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
