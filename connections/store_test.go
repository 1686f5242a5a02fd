package connections

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestCreateGetList(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		ring, _ := newRing(t, "k1")
		s := open(t, b.newDB(t), ring)

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

func TestCredentialsRoundTrip(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		ring, _ := newRing(t, "k1")
		s := open(t, b.newDB(t), ring)
		n := newConn(t, "acme")
		c, secret := mustCreate(t, s, n)
		other, otherSecret := mustCreate(t, s, newConn(t, "beta"))

		creds, err := s.Credentials(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if creds.Token.Reveal() != n.Token || creds.SigningSecret != secret {
			t.Fatal("Credentials do not match what was stored")
		}
		if string(creds.SigningKey()) != secret.Reveal() {
			t.Fatal("SigningKey is not the secret's text")
		}
		raw, err := base64.RawURLEncoding.DecodeString(secret.Reveal())
		if err != nil || len(raw) != 32 {
			t.Fatalf("signing secret is not base64url of 32 bytes: %d bytes, %v", len(raw), err)
		}
		if secret == otherSecret {
			t.Fatal("two connections share a signing secret")
		}
		if oc, _ := s.Credentials(ctx, other.ID); oc.Token == creds.Token {
			t.Fatal("credentials of another connection returned")
		}
		if _, err := s.Credentials(ctx, "conn_aaaaaaaaaaaaaaaa"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Credentials(unknown) = %v", err)
		}
	})
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

func TestDisableEnable(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
		ring, _ := newRing(t, "k1")
		s := open(t, b.newDB(t), ring, WithClock(func() time.Time { return now }))
		c, _ := mustCreate(t, s, newConn(t, "acme"))

		now = now.Add(time.Hour)
		d, err := s.Disable(ctx, c.ID)
		if err != nil || !d.Disabled() || !d.DisabledAt.Equal(now) || !d.UpdatedAt.Equal(now) {
			t.Fatalf("Disable = %+v, %v", d, err)
		}
		if _, err := s.Credentials(ctx, c.ID); !errors.Is(err, ErrDisabled) {
			t.Fatalf("Credentials(disabled) = %v, want ErrDisabled", err)
		}
		if got, err := s.Get(ctx, c.ID); err != nil || !got.Disabled() {
			t.Fatalf("Get(disabled) = %+v, %v", got, err)
		}
		now = now.Add(time.Hour)
		again, err := s.Disable(ctx, c.ID)
		if err != nil || !again.DisabledAt.Equal(*d.DisabledAt) {
			t.Fatalf("disabling twice moved disabled_at: %+v, %v", again, err)
		}
		e, err := s.Enable(ctx, c.ID)
		if err != nil || e.Disabled() || !e.UpdatedAt.Equal(now) {
			t.Fatalf("Enable = %+v, %v", e, err)
		}
		if _, err := s.Credentials(ctx, c.ID); err != nil {
			t.Fatalf("Credentials after Enable = %v", err)
		}
		if _, err := s.Disable(ctx, "conn_aaaaaaaaaaaaaaaa"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Disable(unknown) = %v", err)
		}
	})
}

func TestRemove(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		ring, _ := newRing(t, "k1")
		s := open(t, b.newDB(t), ring)
		c, _ := mustCreate(t, s, newConn(t, "acme"))
		keep, _ := mustCreate(t, s, newConn(t, "beta"))

		if err := s.Remove(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Get(ctx, c.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Get(removed) = %v", err)
		}
		if _, err := s.Credentials(ctx, c.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Credentials(removed) = %v", err)
		}
		if err := s.Remove(ctx, c.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Remove twice = %v", err)
		}
		if list, _ := s.List(ctx); len(list) != 1 || list[0].ID != keep.ID {
			t.Fatalf("List after Remove = %+v", list)
		}
	})
}

func TestRotateSecret(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		ring, _ := newRing(t, "k1")
		s := open(t, b.newDB(t), ring)
		n := newConn(t, "acme")
		c, old := mustCreate(t, s, n)

		fresh, err := s.RotateSecret(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if fresh == old || len(fresh.Reveal()) != 43 {
			t.Fatal("RotateSecret did not make a new 32-byte secret")
		}
		creds, err := s.Credentials(ctx, c.ID)
		if err != nil || creds.SigningSecret != fresh || creds.Token.Reveal() != n.Token {
			t.Fatalf("Credentials after RotateSecret: %v", err)
		}
		if _, err := s.RotateSecret(ctx, "conn_aaaaaaaaaaaaaaaa"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("RotateSecret(unknown) = %v", err)
		}
	})
}

func TestUpdateCheckAndReplaceToken(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		now := time.Date(2026, 11, 1, 12, 0, 0, 123456000, time.UTC)
		ring, _ := newRing(t, "k1")
		s := open(t, b.newDB(t), ring, WithClock(func() time.Time { return now }))
		c, secret := mustCreate(t, s, newConn(t, "acme"))

		now = now.Add(time.Minute)
		u, err := s.UpdateCheck(ctx, c.ID, []string{"subscriptions:read", "orders:read"}, Organization{Name: "Acme Inc"})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(u.Scopes, []string{"orders:read", "subscriptions:read"}) ||
			u.Organization != (Organization{ID: "org-acme", Name: "Acme Inc"}) ||
			u.CheckedAt == nil || !u.CheckedAt.Equal(now) || !u.UpdatedAt.Equal(now) || !u.CreatedAt.Equal(c.CreatedAt) {
			t.Fatalf("UpdateCheck = %+v", u)
		}
		if got, _ := s.Get(ctx, c.ID); !reflect.DeepEqual(got, u) {
			t.Fatalf("Get after UpdateCheck = %+v, want %+v", got, u)
		}

		token := "polar_oat_" + strings.Repeat("z", 40) + "9f3c"
		r, err := s.ReplaceToken(ctx, c.ID, token)
		if err != nil || r.TokenHint != "polar_oat_…9f3c" {
			t.Fatalf("ReplaceToken = %+v, %v", r, err)
		}
		creds, err := s.Credentials(ctx, c.ID)
		if err != nil || creds.Token.Reveal() != token || creds.SigningSecret != secret {
			t.Fatalf("Credentials after ReplaceToken: %v", err)
		}
		if _, err := s.UpdateCheck(ctx, "conn_aaaaaaaaaaaaaaaa", nil, Organization{}); !errors.Is(err, ErrNotFound) {
			t.Fatalf("UpdateCheck(unknown) = %v", err)
		}
		if _, err := s.ReplaceToken(ctx, "conn_aaaaaaaaaaaaaaaa", token); !errors.Is(err, ErrNotFound) {
			t.Fatalf("ReplaceToken(unknown) = %v", err)
		}
	})
}

func TestReopenKeepsData(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		ring, _ := newRing(t, "k1")
		url := b.newDB(t)
		s, err := Open(ctx, url, ring)
		if err != nil {
			t.Fatal(err)
		}
		n := newConn(t, "acme")
		c, secret := mustCreate(t, s, n)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}

		s2 := open(t, url, ring)
		got, err := s2.Get(ctx, c.ID)
		if err != nil || !reflect.DeepEqual(got, c) {
			t.Fatalf("Get after reopen = %+v, %v; want %+v", got, err, c)
		}
		creds, err := s2.Credentials(ctx, c.ID)
		if err != nil || creds.Token.Reveal() != n.Token || creds.SigningSecret != secret {
			t.Fatalf("Credentials after reopen: %v", err)
		}
	})
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
