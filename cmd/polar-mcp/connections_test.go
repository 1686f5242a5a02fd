package main

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// TestConnectionsCLI connects, inspects, checks, rotates, disables and
// removes merchants through the CLI, on SQLite and PostgreSQL, and finds
// no Polar token in anything printed or stored.
func TestConnectionsCLI(t *testing.T) {
	eachBackend(t, func(t *testing.T, db backend) {
		orgs := newTwoOrgs(t)
		multiEnv(t, db, orgs.url, newMasterKey(t, "k1"))
		var tr transcript

		a := tr.add(t, orgs.northwind, "Northwind", "sandbox")
		b := tr.add(t, "  "+orgs.kestrel+"  ", "Kestrel", "production")
		if a.Connection.ID == b.Connection.ID || a.SigningSecret == b.SigningSecret || len(a.SigningSecret) < 32 {
			t.Fatalf("connections %+v %+v", a.Connection, b.Connection)
		}

		// Human output: the id and the signing secret, once.
		r := tr.cli(orgs.noPortal+"\n", "connections", "add", "--name", "No portal", "--environment", "sandbox")
		if r.code != 0 || !strings.Contains(r.stdout, "connection id:  conn_") || !strings.Contains(r.stdout, "signing secret: ") {
			t.Fatalf("add: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		if !strings.Contains(r.stderr, "warning:") || !strings.Contains(r.stderr, "customer_sessions:write") {
			t.Errorf("no warning about the portal scope: %s", r.stderr)
		}
		if strings.Contains(r.stderr, "level=INFO") {
			t.Errorf("connections add logged at info level without POLAR_MCP_LOG_LEVEL (warn is its default): %s", r.stderr)
		}
		noPortal := strings.TrimSpace(strings.Split(strings.SplitAfter(r.stdout, "connection id:  ")[1], "\n")[0])

		before := orgs.requests()
		refusals := []struct {
			name, stdin string
			args        []string
			code        int
			want        []string
		}{
			{"token in argv", "", []string{"--token", orgs.northwind}, exitUsage, []string{"unknown flag"}},
			{"no environment", orgs.northwind + "\n", nil, exitUsage, []string{"--environment is required"}},
			{"no token on stdin", "", []string{"--environment", "sandbox"}, exitUsage, []string{"no token on stdin"}},
			{"not a Polar token", "sk_live_abcdef0123456789\n", []string{"--environment", "sandbox"}, 1, []string{"must start with polar_"}},
		}
		for _, rf := range refusals {
			r := tr.cli(rf.stdin, append([]string{"connections", "add", "--name", "x"}, rf.args...)...)
			if r.code != rf.code || !containsAll(r.stderr, rf.want...) {
				t.Errorf("%s: exit %d, stderr %q", rf.name, r.code, r.stderr)
			}
		}
		if n := orgs.requests() - before; n != 0 {
			t.Errorf("refusals before any request sent %d requests to Polar", n)
		}
		r = tr.cli(polarToken("revoked")+"\n", "connections", "add", "--name", "x", "--environment", "production")
		if r.code != 1 || !containsAll(r.stderr, "invalid API key", "401", "production", "sandbox") {
			t.Errorf("wrong key: exit %d, stderr %q", r.code, r.stderr)
		}
		r = tr.cli(orgs.noOrders+"\n", "connections", "add", "--name", "x", "--environment", "sandbox")
		if r.code != 1 || !containsAll(r.stderr, "missing the scope(s) orders:read", "new token") {
			t.Errorf("missing scope: exit %d, stderr %q", r.code, r.stderr)
		}

		r = tr.cli("", "connections", "list")
		if r.code != 0 || !containsAll(r.stdout, a.Connection.ID, b.Connection.ID, noPortal, "Northwind Cloud", "Kestrel Analytics Ltd", "customer_sessions:write") ||
			strings.Count(r.stdout, "conn_") != 3 {
			t.Errorf("list:\n%s%s", r.stdout, r.stderr)
		}
		r = tr.cli("", "connections", "show", a.Connection.ID)
		if r.code != 0 || !containsAll(r.stdout, "environment:", "sandbox", "token:", "…", "/c/"+a.Connection.ID+"/mcp") || strings.Contains(r.stdout, a.SigningSecret) {
			t.Errorf("show:\n%s%s", r.stdout, r.stderr)
		}
		r = tr.cli("", "connections", "check", b.Connection.ID)
		if r.code != 0 || !containsAll(r.stdout, "checked:", "Kestrel Analytics Ltd") || strings.Contains(r.stdout, "checked:        never") {
			t.Errorf("check:\n%s%s", r.stdout, r.stderr)
		}

		// Minting with the connection's secret from the store.
		r = tr.cli("", "token", "--connection", a.Connection.ID, "--role", "customer", "--email", "alice@example.com")
		id, err := identity.Verify([]byte(a.SigningSecret), strings.TrimSpace(r.stdout), identity.Policy{Audience: a.Connection.ID})
		if r.code != 0 || err != nil || id.Email != "alice@example.com" || id.Role != caller.Customer {
			t.Errorf("token --connection: exit %d %v %q", r.code, err, r.stderr)
		}
		if _, err := identity.Verify([]byte(a.SigningSecret), strings.TrimSpace(r.stdout), identity.Policy{Audience: b.Connection.ID}); err == nil {
			t.Error("a token for A verifies for B")
		}

		r = tr.cli("", "connections", "rotate-secret", b.Connection.ID)
		if r.code != 0 || !strings.Contains(r.stdout, "signing secret: ") || strings.Contains(r.stdout, b.SigningSecret) {
			t.Errorf("rotate-secret:\n%s%s", r.stdout, r.stderr)
		}
		r = tr.cli("", "token", "--connection", b.Connection.ID, "--role", "agent")
		if _, err := identity.Verify([]byte(b.SigningSecret), strings.TrimSpace(r.stdout), identity.Policy{Audience: b.Connection.ID}); r.code != 0 || err == nil {
			t.Errorf("after rotate-secret the old secret still signs B's tokens (exit %d)", r.code)
		}

		if r = tr.cli("", "connections", "disable", a.Connection.ID); r.code != 0 {
			t.Errorf("disable: %s", r.stderr)
		}
		r = tr.cli("", "connections", "show", a.Connection.ID, "--json")
		var shown struct {
			Connection struct {
				DisabledAt *time.Time `json:"disabled_at"`
			} `json:"connection"`
		}
		if json.Unmarshal([]byte(r.stdout), &shown) != nil || shown.Connection.DisabledAt == nil {
			t.Errorf("disabled connection shows as %s", r.stdout)
		}
		// remove asks first: no answer (or no) removes nothing.
		for _, answer := range []string{"", "n\n"} {
			if r = tr.cli(answer, "connections", "remove", noPortal); r.code != exitUsage || !strings.Contains(r.stderr, "--yes") {
				t.Errorf("remove without confirmation: exit %d %s", r.code, r.stderr)
			}
			if r = tr.cli("", "connections", "show", noPortal); r.code != 0 {
				t.Errorf("remove without confirmation removed it: %s", r.stderr)
			}
		}
		if r = tr.cli("", "connections", "remove", "--yes", noPortal); r.code != 0 {
			t.Errorf("remove: %s", r.stderr)
		}
		if r = tr.cli("", "connections", "show", noPortal); r.code != 1 || !strings.Contains(r.stderr, "not found") {
			t.Errorf("show after remove: exit %d %s", r.code, r.stderr)
		}

		noSecrets(t, "CLI output", tr.String(), orgs.tokens()...)
		noSecrets(t, "database", string(db.contents(t)), orgs.tokens()...)
	})
}

// TestMasterKeyErrorsAndRotation: a missing or wrong key stops every
// command with a clear message and leaves the store as it was; rotate-key
// moves everything to the new key while the old one still decrypts.
func TestMasterKeyErrorsAndRotation(t *testing.T) {
	eachBackend(t, func(t *testing.T, db backend) {
		orgs := newTwoOrgs(t)
		k1 := newMasterKey(t, "k1")
		multiEnv(t, db, orgs.url, k1)
		var tr transcript
		a := tr.add(t, orgs.northwind, "Northwind", "sandbox")

		t.Setenv("POLAR_MCP_MASTER_KEY", "")
		r := tr.cli("", "connections", "list")
		if r.code != exitUsage || !containsAll(r.stderr, "POLAR_MCP_MASTER_KEY", "keygen") {
			t.Errorf("no key: exit %d %q", r.code, r.stderr)
		}
		other := newMasterKey(t, "k1")
		t.Setenv("POLAR_MCP_MASTER_KEY", other)
		for _, args := range [][]string{{"connections", "list"}, {"http", "--listen", "127.0.0.1:0"}} {
			r = tr.cli("", args...)
			if r.code != exitUsage || !strings.Contains(r.stderr, "wrong master key") {
				t.Errorf("%v with a wrong key: exit %d %q", args, r.code, r.stderr)
			}
		}
		t.Setenv("POLAR_MCP_MASTER_KEY", "k1:not-base64!")
		if r = tr.cli("", "connections", "list"); r.code != exitUsage || strings.Contains(r.stderr, "not-base64!") {
			t.Errorf("malformed key: exit %d %q", r.code, r.stderr)
		}

		// Rotation: new key first, old key after it.
		k2 := newMasterKey(t, "k2")
		t.Setenv("POLAR_MCP_MASTER_KEY", k2+","+k1)
		if r = tr.cli("", "connections", "list"); r.code != 0 || !strings.Contains(r.stdout, a.Connection.ID) {
			t.Fatalf("with k2,k1 before rotating: exit %d %s", r.code, r.stderr)
		}
		r = tr.cli("", "connections", "rotate-key")
		if r.code != 0 || !strings.Contains(r.stdout, "re-encrypted 1 connection(s); master keys in use: k2") {
			t.Fatalf("rotate-key: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		t.Setenv("POLAR_MCP_MASTER_KEY", k2)
		r = tr.cli("", "token", "--connection", a.Connection.ID, "--role", "agent")
		if _, err := identity.Verify([]byte(a.SigningSecret), strings.TrimSpace(r.stdout), identity.Policy{Audience: a.Connection.ID}); r.code != 0 || err != nil {
			t.Errorf("after rotation, with k2 only, the signing secret is not the same: exit %d %v %s", r.code, err, r.stderr)
		}
		t.Setenv("POLAR_MCP_MASTER_KEY", k1)
		if r = tr.cli("", "connections", "list"); r.code != exitUsage || !strings.Contains(r.stderr, `"k2"`) {
			t.Errorf("old key only after rotation: exit %d %q", r.code, r.stderr)
		}
		if live := db.rows(t, "connections", "key_checks"); bytes.Contains(live, []byte(`v1:k1:`)) || !bytes.Contains(live, []byte(`v1:k2:`)) {
			t.Error("ciphertexts under k1 remain after rotate-key")
		}
		noSecrets(t, "CLI output", tr.String(), append(orgs.tokens(), strings.SplitN(k1, ":", 2)[1], strings.SplitN(k2, ":", 2)[1])...)
	})
}

func TestKeygenPrintsUsableKeys(t *testing.T) {
	var tr transcript
	r1, r2 := tr.cli("", "connections", "keygen", "--id", "k7"), tr.cli("", "connections", "keygen")
	if r1.code != 0 || !strings.HasPrefix(r1.stdout, "k7:") || r1.stdout == r2.stdout || !regexp.MustCompile(`^k\d{8}:\S{44}\n$`).MatchString(r2.stdout) {
		t.Fatalf("keygen: %q %q", r1.stdout, r2.stdout)
	}
	if r := tr.cli("", "connections", "keygen", "--id", "bad id"); r.code != exitUsage {
		t.Errorf("bad id: exit %d", r.code)
	}
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// noSecrets fails if any secret appears in text.
func noSecrets(t *testing.T, where, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("%s contains a secret (%s…)", where, s[:min(len(s), 14)])
		}
	}
}
