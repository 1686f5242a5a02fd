package hosted

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// A sealed relay message is taken only with the connection's own secret,
// unaltered, fresh, and before the caller's token expires; it never holds
// the secret.
func TestRelaySealRefusesForgeriesAndReplays(t *testing.T) {
	secret := []byte(strings.Repeat("s", 40))
	now := time.Unix(1_800_000_000, 0)
	ctx := caller.With(context.Background(), caller.Identity{Role: caller.Customer, Email: "alice@example.com", Subject: "u1"})
	sealAt := func(exp time.Time) []byte {
		c := withRelayKey(context.WithValue(ctx, expiryKey{}, exp), secret)
		sealed, ok := seal(c, relayedPost{Path: "/message?sessionId=x", Body: []byte(`{"jsonrpc":"2.0"}`)}, now)
		if !ok {
			t.Fatal("not sealed")
		}
		return sealed
	}
	sealed, expiring := sealAt(now.Add(time.Hour)), sealAt(now.Add(5*time.Second))
	if bytes.Contains(sealed, secret) {
		t.Fatal("the seal holds the secret")
	}
	secretOf := func(s []byte) func(string) ([]byte, error) {
		return func(string) ([]byte, error) { return s, nil }
	}
	if p, err := unseal(sealed, now.Add(time.Second), secretOf(secret)); err != nil || p.Caller.Email != "alice@example.com" {
		t.Fatalf("the genuine seal: %+v, %v", p, err)
	}
	tampered := bytes.Replace(sealed, []byte("alice"), []byte("carol"), 1)
	for _, c := range []struct {
		name    string
		payload []byte
		at      time.Time
		secret  []byte
	}{
		{"another secret", sealed, now, []byte(strings.Repeat("t", 40))},
		{"another caller", tampered, now, secret},
		{"replayed a minute later", sealed, now.Add(time.Minute + time.Second), secret},
		{"after the token expired", expiring, now.Add(6 * time.Second), secret},
		{"not sealed", []byte(`{"path":"/message","caller":{"role":"agent"}}`), now, secret},
	} {
		if p, err := unseal(c.payload, c.at, secretOf(c.secret)); err == nil {
			t.Errorf("%s: taken as %+v", c.name, p.Caller)
		}
	}
	if _, ok := seal(context.Background(), relayedPost{}, now); ok {
		t.Error("a POST without a verified caller was sealed")
	}
}
