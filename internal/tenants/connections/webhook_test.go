package connections

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/tenants/keyring"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
)

func TestWebhookSecretIsSealedAndRecorded(t *testing.T) {
	testkit.EachBackend(t, func(t *testing.T, b testkit.Backend) {
		ctx := context.Background()
		ring, keys := newRing(t, "k1")
		url := b.NewDB(t)
		s := open(t, url, ring)
		c, _ := mustCreate(t, s, newConn(t, "acme"))
		if _, ok, err := s.WebhookSecret(ctx, c.ID); ok || err != nil {
			t.Fatalf("a new connection has a webhook secret: %v %v", ok, err)
		}
		const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
		got, err := s.SetWebhookSecret(ctx, c.ID, " "+secret+"\n")
		if err != nil || !got.WebhookSecretSet {
			t.Fatalf("SetWebhookSecret = %+v, %v", got, err)
		}
		if sec, ok, err := s.WebhookSecret(ctx, c.ID); err != nil || !ok || sec.Reveal() != secret {
			t.Fatalf("WebhookSecret = %v %v", ok, err)
		}
		var stored string
		if err := s.db.QueryRowContext(ctx, `SELECT webhook_secret_ciphertext FROM connections WHERE id = $1`, c.ID).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(stored, secret) || !strings.HasPrefix(stored, "v1:k1:") {
			t.Fatalf("stored in clear or not sealed: %q", stored)
		}
		// Bound to its connection: moved to another row it does not open.
		other, _ := mustCreate(t, s, newConn(t, "beta"))
		if _, err := s.db.ExecContext(ctx, `UPDATE connections SET webhook_secret_ciphertext = $2 WHERE id = $1`, other.ID, stored); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.WebhookSecret(ctx, other.ID); err == nil {
			t.Fatal("a webhook secret copied to another connection opened")
		}
		if _, err := s.SetWebhookSecret(ctx, other.ID, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetWebhookSecret(ctx, c.ID, "two words"); !errors.Is(err, ErrInvalid) || strings.Contains(err.Error(), "two") {
			t.Fatalf("secret with a space: %v", err)
		}
		if _, err := s.SetWebhookSecret(ctx, "conn_0000000000000000", secret); !errors.Is(err, ErrNotFound) {
			t.Fatalf("unknown connection: %v", err)
		}

		// Deliveries are recorded, at most once a minute.
		at := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
		for _, ts := range []time.Time{at, at.Add(30 * time.Second)} {
			if err := s.RecordWebhook(ctx, c.ID, ts); err != nil {
				t.Fatal(err)
			}
		}
		if got, _ := s.Get(ctx, c.ID); got.WebhookReceivedAt == nil || !got.WebhookReceivedAt.Equal(at) {
			t.Fatalf("WebhookReceivedAt = %v, want %v", got.WebhookReceivedAt, at)
		}
		if err := s.RecordWebhook(ctx, c.ID, at.Add(2*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Get(ctx, c.ID); !got.WebhookReceivedAt.Equal(at.Add(2 * time.Minute)) {
			t.Fatalf("WebhookReceivedAt = %v after a later delivery", got.WebhookReceivedAt)
		}

		// Rotating the master key re-seals it; the old key is then unused.
		k2, err := keyring.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		ring2 := ringOf(t, map[string]string{"k1": keys["k1"], "k2": k2}, "k2", "k1")
		s2 := open(t, url, ring2)
		if _, err := s2.RotateKey(ctx, ""); err != nil {
			t.Fatal(err)
		}
		if ids, _ := s2.KeyIDsInUse(ctx); len(ids) != 1 || ids[0] != "k2" {
			t.Fatalf("keys in use after rotation: %v", ids)
		}
		if sec, ok, err := s2.WebhookSecret(ctx, c.ID); err != nil || !ok || sec.Reveal() != secret {
			t.Fatalf("after rotation: %v %v", ok, err)
		}
		if got, err := s2.SetWebhookSecret(ctx, c.ID, ""); err != nil || got.WebhookSecretSet {
			t.Fatalf("removing the secret: %+v %v", got, err)
		}
	})
}
