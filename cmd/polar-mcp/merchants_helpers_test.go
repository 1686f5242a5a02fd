package main

import (
	"bytes"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/tenants/keyring"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
)

// backend is a fresh database for one test.
type backend struct {
	url    string
	sqlite string // the SQLite file, "" for PostgreSQL
}

// eachBackend runs test on a fresh SQLite file and, when
// POLAR_MCP_TEST_POSTGRES_URL is set, on a fresh PostgreSQL schema.
func eachBackend(t *testing.T, test func(t *testing.T, db backend)) {
	testkit.EachBackend(t, func(t *testing.T, b testkit.Backend) {
		db := backend{url: b.NewDB(t)}
		if b.SQLite() {
			db.sqlite = db.url
		}
		test(t, db)
	})
}

// contents is everything the database holds, as bytes: the SQLite files
// (the database, its write-ahead log and shared memory), or every row of
// every table as JSON on PostgreSQL. A backup holds no more.
func (b backend) contents(t *testing.T) []byte {
	t.Helper()
	if b.sqlite != "" {
		var all []byte
		for _, suffix := range []string{"", "-wal", "-shm"} {
			data, err := os.ReadFile(b.sqlite + suffix)
			if err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			all = append(all, data...)
		}
		return all
	}
	return b.rows(t, "connections", "key_checks", "polar_mcp_schema_migrations")
}

// rows is the live rows of tables, as JSON (PostgreSQL) or as their
// columns' text (SQLite): what the database holds now, without the
// deleted records a SQLite file may still carry in its free pages.
func (b backend) rows(t *testing.T, tables ...string) []byte {
	t.Helper()
	driver, query := "pgx", `SELECT row_to_json(t)::text FROM %s t`
	if b.sqlite != "" {
		driver, query = "sqlite", `SELECT * FROM %s`
	}
	db, err := sql.Open(driver, b.url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var all []byte
	for _, table := range tables {
		rows, err := db.Query(fmt.Sprintf(query, table))
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]sql.NullString, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				all = append(all, v.String...)
				all = append(all, '\n')
			}
		}
		rows.Close()
	}
	return all
}

// twoOrgs is Polar as the tests see it: one URL (POLAR_SERVER_URL applies
// to every connection) in front of two organizations, each on its own
// fake, picked by the request's token. A token neither knows gets the
// demo fake's 401.
type twoOrgs struct {
	pair        *testkit.Pair
	demo, other *fakepolar.Server
	url         string

	northwind, kestrel, noPortal, noOrders string
}

func newTwoOrgs(t *testing.T) *twoOrgs {
	t.Helper()
	o := &twoOrgs{northwind: polarToken("northwind"), kestrel: polarToken("kestrel"),
		noPortal: polarToken("noportal"), noOrders: polarToken("noorders")}
	pair, err := testkit.NewPair(fakepolar.Options{Tokens: map[string][]string{
		o.northwind: fakepolar.AllScopes(),
		o.noPortal:  allScopesBut("customer_sessions:write"),
		o.noOrders:  allScopesBut("orders:read"),
	}}, fakepolar.Options{Tokens: map[string][]string{o.kestrel: fakepolar.AllScopes()}})
	if err != nil {
		t.Fatal(err)
	}
	o.pair, o.demo, o.other = pair, pair.Demo, pair.Other
	srv := httptest.NewServer(pair)
	t.Cleanup(srv.Close)
	o.url = srv.URL
	return o
}

func allScopesBut(drop string) []string {
	return slices.DeleteFunc(fakepolar.AllScopes(), func(s string) bool { return s == drop })
}

func (o *twoOrgs) tokens() []string {
	return []string{o.northwind, o.kestrel, o.noPortal, o.noOrders}
}

func (o *twoOrgs) requests() int { return o.pair.RequestCount() }

// polarToken returns a fresh Polar-shaped token.
func polarToken(what string) string {
	b := make([]byte, 16)
	rand.Read(b)
	return "polar_oat_" + what + "_" + hex.EncodeToString(b)
}

// newMasterKey returns "kid:key" for a fresh key.
func newMasterKey(t *testing.T, kid string) string {
	t.Helper()
	k, err := keyring.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return kid + ":" + k
}

// multiEnv sets the environment of a multi-merchant setup on db and
// Polar at polarURL, with every other polar-mcp setting cleared, and
// moves to an empty directory (no polar-mcp.yaml).
func multiEnv(t *testing.T, db backend, polarURL, masterKey string) {
	t.Helper()
	t.Chdir(t.TempDir())
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "POLAR_") && k != testkit.EnvPostgresURL {
			t.Setenv(k, "")
		}
	}
	t.Setenv("POLAR_SERVER_URL", polarURL)
	t.Setenv("POLAR_MCP_DATABASE_URL", db.url)
	t.Setenv("POLAR_MCP_MASTER_KEY", masterKey)
}

// cliRun is one CLI run's outcome.
type cliRun struct {
	code           int
	stdout, stderr string
}

// transcript collects everything the CLI printed, to scan for tokens.
type transcript struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (tr *transcript) Write(p []byte) (int, error) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.buf.Write(p)
}

func (tr *transcript) String() string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.buf.String()
}

// cli runs polar-mcp in-process with stdin.
func (tr *transcript) cli(stdin string, args ...string) cliRun {
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	tr.Write(out.Bytes())
	tr.Write(errOut.Bytes())
	return cliRun{code, out.String(), errOut.String()}
}

// added is `connections add --json`'s output.
type added struct {
	Connection struct {
		ID     string   `json:"id"`
		Name   string   `json:"name"`
		Scopes []string `json:"scopes"`
	} `json:"connection"`
	SigningSecret string `json:"signing_secret"`
}

// add connects token through the CLI and returns the new connection.
func (tr *transcript) add(t *testing.T, token, name, env string) added {
	t.Helper()
	r := tr.cli(token+"\n", "connections", "add", "--name", name, "--environment", env, "--json")
	var a added
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &a) != nil || a.Connection.ID == "" {
		t.Fatalf("connections add %s: exit %d\n%s\n%s", name, r.code, r.stdout, r.stderr)
	}
	return a
}

// syncBuffer is a log destination safe for concurrent writes.
type syncBuffer = transcript
