package connections

import (
	"context"
	"encoding/base64"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/testkit"
)

func TestCredentialsRoundTrip(t *testing.T) {
	testkit.EachBackend(t, func(t *testing.T, b testkit.Backend) {
		ctx := context.Background()
		ring, _ := newRing(t, "k1")
		s := open(t, b.NewDB(t), ring)
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

func TestDisableEnable(t *testing.T) {
	testkit.EachBackend(t, func(t *testing.T, b testkit.Backend) {
		ctx := context.Background()
		now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
		ring, _ := newRing(t, "k1")
		s := open(t, b.NewDB(t), ring, WithClock(func() time.Time { return now }))
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
	testkit.EachBackend(t, func(t *testing.T, b testkit.Backend) {
		ctx := context.Background()
		ring, _ := newRing(t, "k1")
		s := open(t, b.NewDB(t), ring)
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
	testkit.EachBackend(t, func(t *testing.T, b testkit.Backend) {
		ctx := context.Background()
		ring, _ := newRing(t, "k1")
		s := open(t, b.NewDB(t), ring)
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
	testkit.EachBackend(t, func(t *testing.T, b testkit.Backend) {
		ctx := context.Background()
		now := time.Date(2026, 11, 1, 12, 0, 0, 123456000, time.UTC)
		ring, _ := newRing(t, "k1")
		s := open(t, b.NewDB(t), ring, WithClock(func() time.Time { return now }))
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
	testkit.EachBackend(t, func(t *testing.T, b testkit.Backend) {
		ctx := context.Background()
		ring, _ := newRing(t, "k1")
		url := b.NewDB(t)
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
