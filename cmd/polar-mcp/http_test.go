package main

import (
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

func TestTokenCommandMintsVerifiableTokens(t *testing.T) {
	t.Chdir(t.TempDir())
	secret := strings.Repeat("z", 48)
	t.Setenv("POLAR_MCP_TOKEN_SECRET", secret)
	t.Setenv("POLAR_ACCESS_TOKEN", "") // minting needs no Polar token
	var out, errOut strings.Builder
	if code := run([]string{"token", "--role", "customer", "--email", "Alice@Example.com", "--ttl", "15m"}, nil, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	id, err := identity.Verify([]byte(secret), strings.TrimSpace(out.String()), identity.Policy{})
	if err != nil || id.Role != caller.Customer || id.Email != "alice@example.com" {
		t.Fatalf("minted token verifies as %+v, %v", id, err)
	}
	if code := run([]string{"token", "--role", "customer"}, nil, &out, &errOut); code != exitUsage {
		t.Errorf("customer token without email: exit %d, want %d", code, exitUsage)
	}
	t.Setenv("POLAR_MCP_TOKEN_SECRET", "Xq9secret")
	errOut.Reset()
	if code := run([]string{"token", "--role", "agent"}, nil, &out, &errOut); code != exitUsage || strings.Contains(errOut.String(), "Xq9secret") {
		t.Errorf("short secret: exit %d, stderr %q", code, errOut.String())
	}
}
