package main

import (
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
)

// TestCheckCommand runs polar-mcp check against the fake Polar with
// tokens of different scopes: what works and what to fix is printed, and
// only a missing required scope (or a refused token) fails.
func TestCheckCommand(t *testing.T) {
	full, noLicense, noOrders, noOrgName := polarToken("full"), polarToken("nolicense"), polarToken("noorders"), polarToken("noorg")
	fake, err := fakepolar.Demo(fakepolar.Options{Tokens: map[string][]string{
		full:      fakepolar.AllScopes(),
		noLicense: slices.DeleteFunc(fakepolar.AllScopes(), func(s string) bool { return strings.HasPrefix(s, "license_keys:") }),
		noOrders:  allScopesBut("orders:read"),
		noOrgName: slices.DeleteFunc(fakepolar.AllScopes(), func(s string) bool { return strings.HasPrefix(s, "organizations:") }),
	}})
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(fake)
	t.Cleanup(api.Close)
	t.Chdir(t.TempDir())
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "POLAR_") && k != testkit.EnvPostgresURL {
			t.Setenv(k, "")
		}
	}
	t.Setenv("POLAR_ENVIRONMENT", "sandbox")
	t.Setenv("POLAR_SERVER_URL", api.URL)

	tests := []struct {
		name, token string
		code        int
		stdout      []string
		stderr      []string
	}{
		{"every scope", full, 0, []string{"environment:  sandbox at " + api.URL, "  ok       orders:read",
			"  ok       license_keys:read", "every scope the tools use works"}, nil},
		{"no license_keys:read", noLicense, 0, []string{"  missing  license_keys:read (optional)", "  ok       orders:read",
			"warning: the token lacks the optional license_keys:read", "optional scopes are missing"}, nil},
		{"no orders:read", noOrders, 1, []string{"  MISSING  orders:read (required)", "  ok       customers:read"},
			[]string{"required scope(s) missing: orders:read", "create a new token"}},
		{"no organizations:read", noOrgName, 0, []string{"name unknown: no organizations:read", "every scope the tools use works"}, nil},
		{"unknown token", polarToken("revoked"), 1, nil, []string{"Polar rejected the access token (401)", "Test Mode (sandbox.polar.sh)"}},
	}
	for _, tt := range tests {
		t.Setenv("POLAR_ACCESS_TOKEN", tt.token)
		var tr transcript
		r := tr.cli("", "check")
		if r.code != tt.code || !containsAll(r.stdout, tt.stdout...) || !containsAll(r.stderr, tt.stderr...) {
			t.Errorf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", tt.name, r.code, tt.code, r.stdout, r.stderr)
		}
		if strings.Contains(r.stdout+r.stderr, tt.token) {
			t.Errorf("%s: the token was printed", tt.name)
		}
	}

	t.Setenv("POLAR_ACCESS_TOKEN", "")
	var tr transcript
	if r := tr.cli("", "check"); r.code != exitUsage || !strings.Contains(r.stderr, "POLAR_ACCESS_TOKEN is required") {
		t.Errorf("no token: exit %d, stderr %s", r.code, r.stderr)
	}
}
