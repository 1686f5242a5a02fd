package identity

import (
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

func TestExpiryIsTheExpOfAVerifiedToken(t *testing.T) {
	secret := []byte("expiry-test-secret-0123456789abcdef")
	now := time.Now().Truncate(time.Second)
	tok, err := Mint(secret, Claims{Role: caller.Agent, Subject: "agent-1"}, 90*time.Second, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(secret, tok, Policy{Now: now}); err != nil {
		t.Fatal(err)
	}
	exp, err := Expiry(tok)
	if err != nil {
		t.Fatal(err)
	}
	if want := now.Add(90 * time.Second); !exp.Equal(want) {
		t.Errorf("Expiry = %v, want %v", exp, want)
	}
	if _, err := Expiry("not-a-jwt"); KindOf(err) != KindMalformed {
		t.Errorf("Expiry(garbage) error = %v, want malformed", err)
	}
}
