package connections

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/testkit"
)

func TestCreateGetList(t *testing.T) {
	testkit.EachBackend(t, func(t *testing.T, b testkit.Backend) {
		ctx := context.Background()
		ring, _ := newRing(t, "k1")
		s := open(t, b.NewDB(t), ring)

		if list, err := s.List(ctx); err != nil || len(list) != 0 {
			t.Fatalf("List of a new store = %v, %v", list, err)
		}
		n := newConn(t, "acme")
		n.Environment = Production
		a, _ := mustCreate(t, s, n)
		bc, _ := mustCreate(t, s, newConn(t, "beta"))

		if !strings.HasPrefix(a.ID, "conn_") || len(a.ID) != 21 || a.ID == bc.ID {
			t.Fatalf("ids %q %q", a.ID, bc.ID)
		}
		want := Connection{
			ID: a.ID, Name: "acme", Environment: Production,
			Organization: Organization{ID: "org-acme", Name: "Org acme"},
			Scopes:       []string{"customers:read", "orders:read"},
			TokenHint:    "polar_oat_…" + n.Token[len(n.Token)-4:],
			CreatedAt:    a.CreatedAt, UpdatedAt: a.CreatedAt,
		}
		if !reflect.DeepEqual(a, want) {
			t.Fatalf("Create returned\n%+v\nwant\n%+v", a, want)
		}
		got, err := s.Get(ctx, a.ID)
		if err != nil || !reflect.DeepEqual(got, a) {
			t.Fatalf("Get = %+v, %v\nwant %+v", got, err, a)
		}
		list, err := s.List(ctx)
		if err != nil || len(list) != 2 || list[0].ID != a.ID || list[1].ID != bc.ID {
			t.Fatalf("List = %+v, %v", list, err)
		}
		if _, err := s.Get(ctx, "conn_aaaaaaaaaaaaaaaa"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Get(unknown) = %v, want ErrNotFound", err)
		}
	})
}

func TestConnectionJSONHasNoSecrets(t *testing.T) {
	ring, _ := newRing(t, "k1")
	s := open(t, b0(t), ring)
	n := newConn(t, "acme")
	c, secret := mustCreate(t, s, n)
	out, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	js := string(out)
	for _, key := range []string{`"id"`, `"name"`, `"environment":"sandbox"`, `"organization":{"id":"org-acme"`, `"scopes"`, `"token_hint"`, `"created_at"`} {
		if !strings.Contains(js, key) {
			t.Errorf("JSON %s lacks %s", js, key)
		}
	}
	if strings.Contains(js, n.Token) || strings.Contains(js, secret.Reveal()) || strings.Contains(js, "disabled_at") {
		t.Fatalf("JSON %s holds a secret or a zero disabled_at", js)
	}
}

// b0 is a SQLite database for tests that do not depend on the backend.

func b0(t *testing.T) string { return t.TempDir() + "/c.db" }

func TestCreateValidates(t *testing.T) {
	ring, _ := newRing(t, "k1")
	s := open(t, b0(t), ring)
	token := testToken(t)
	tests := []struct {
		name string
		edit func(*NewConnection)
	}{
		{"no token", func(n *NewConnection) { n.Token = "  " }},
		{"token with a space", func(n *NewConnection) { n.Token = token[:20] + " " + token[20:] }},
		{"unknown environment", func(n *NewConnection) { n.Environment = "staging" }},
		{"no name", func(n *NewConnection) { n.Name, n.Organization.Name = "", "" }},
		{"control character in name", func(n *NewConnection) { n.Name = "a\x00b" }},
		{"scope with a space", func(n *NewConnection) { n.Scopes = []string{"orders:read customers:read"} }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := NewConnection{Name: "x", Environment: Sandbox, Token: token}
			tc.edit(&n)
			_, _, err := s.Create(context.Background(), n)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Create = %v, want ErrInvalid", err)
			}
			if strings.Contains(err.Error(), token[12:]) {
				t.Fatalf("error %q contains the token", err)
			}
		})
	}
	list, _ := s.List(context.Background())
	if len(list) != 0 {
		t.Fatalf("refused connections were stored: %v", list)
	}
}

func TestCreateNormalizes(t *testing.T) {
	ring, _ := newRing(t, "k1")
	s := open(t, b0(t), ring)
	ctx := context.Background()
	token := testToken(t)
	c, _, err := s.Create(ctx, NewConnection{
		Environment:  " Sandbox ",
		Token:        token + "\n",
		Organization: Organization{ID: "o1", Name: "Northwind"},
		Scopes:       []string{"b", " a ", "b", ""},
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "Northwind" || c.Environment != Sandbox || !reflect.DeepEqual(c.Scopes, []string{"a", "b"}) {
		t.Fatalf("Create = %+v", c)
	}
	creds, err := s.Credentials(ctx, c.ID)
	if err != nil || creds.Token.Reveal() != token {
		t.Fatalf("stored token was not trimmed: %v", err)
	}
}

func TestSecretsAreRedactedWhenPrinted(t *testing.T) {
	creds := Credentials{Token: "polar_oat_plaintext", SigningSecret: "sig_plaintext"}
	out, _ := json.Marshal(creds)
	for _, s := range []string{
		fmt.Sprint(creds), fmt.Sprintf("%v %+v %#v %s", creds, creds, creds, creds.Token), string(out),
	} {
		if strings.Contains(s, "plaintext") {
			t.Fatalf("printed %q", s)
		}
	}
}

func TestNotFoundDoesNotEchoOddIDs(t *testing.T) {
	ring, _ := newRing(t, "k1")
	s := open(t, b0(t), ring)
	token := testToken(t)
	_, err := s.Get(context.Background(), token)
	if !errors.Is(err, ErrNotFound) || strings.Contains(err.Error(), token) {
		t.Fatalf("Get(token) = %v", err)
	}
	_, err = s.Get(context.Background(), "conn_bbbbbbbbbbbbbbbb")
	if !strings.Contains(err.Error(), "conn_bbbbbbbbbbbbbbbb") {
		t.Fatalf("Get(conn id) = %v, want the id named", err)
	}
}
