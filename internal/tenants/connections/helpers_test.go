package connections

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/tenants/keyring"
)

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
