package connections

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Webhook secrets: the secret Polar signs a connection's webhook
// deliveries with (Standard Webhooks), sealed like the token and bound to
// its connection and field.

// maxWebhookSecretLen bounds a webhook secret.
const maxWebhookSecretLen = 1024

// webhookRecordEvery is how often RecordWebhook writes: deliveries within
// it of the last recorded one change nothing.
const webhookRecordEvery = time.Minute

// SetWebhookSecret stores a connection's webhook secret, replacing any;
// an empty secret removes it. It never appears in an error.
func (s *Store) SetWebhookSecret(ctx context.Context, id, secret string) (Connection, error) {
	secret = strings.TrimSpace(secret)
	switch {
	case len(secret) > maxWebhookSecretLen:
		return Connection{}, fmt.Errorf("%w: the webhook secret is longer than %d bytes", ErrInvalid, maxWebhookSecretLen)
	case strings.IndexFunc(secret, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return Connection{}, fmt.Errorf("%w: the webhook secret contains spaces or control characters", ErrInvalid)
	case secret == "":
		return s.update(ctx, id, `webhook_secret_ciphertext = '', updated_at = $2`, s.timestamp())
	}
	ring := s.keys()
	ct, err := ring.Seal([]byte(secret), fieldAAD(id, fieldWebhookSecret))
	if err != nil {
		return Connection{}, fmt.Errorf("encrypt webhook secret: %w", err)
	}
	if err := s.setCiphertext(ctx, id, `webhook_secret_ciphertext = $2, updated_at = $3`, ring, ct); err != nil {
		return Connection{}, err
	}
	return s.Get(ctx, id)
}

// WebhookSecret decrypts a connection's webhook secret; ok is false when
// none is set. It fails with ErrNotFound for an unknown id and ErrDisabled
// for a disabled connection.
func (s *Store) WebhookSecret(ctx context.Context, id string) (secret Secret, ok bool, err error) {
	var ct string
	var disabled sql.NullTime
	err = s.db.QueryRowContext(ctx, `SELECT webhook_secret_ciphertext, disabled_at
		FROM connections WHERE id = $1`, id).Scan(&ct, &disabled)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", false, notFound(id)
	case err != nil:
		return "", false, fmt.Errorf("read webhook secret: %w", err)
	case disabled.Valid:
		return "", false, fmt.Errorf("%w: %s", ErrDisabled, id)
	case ct == "":
		return "", false, nil
	}
	pt, err := s.keys().Open(ct, fieldAAD(id, fieldWebhookSecret))
	if err != nil {
		return "", false, fmt.Errorf("connection %s: decrypt webhook secret: %w", id, err)
	}
	return Secret(pt), true, nil
}

// RecordWebhook notes that a verified delivery came for a connection at
// at. It writes at most once a minute per connection (and never moves the
// time back), so a burst of deliveries costs one write. It does not
// change UpdatedAt: the connection's adapter is kept.
func (s *Store) RecordWebhook(ctx context.Context, id string, at time.Time) error {
	at = at.UTC().Truncate(time.Microsecond)
	_, err := s.db.ExecContext(ctx, `UPDATE connections SET webhook_received_at = $2
		WHERE id = $1 AND (webhook_received_at IS NULL OR webhook_received_at < $3)`,
		id, at, at.Add(-webhookRecordEvery))
	if err != nil {
		return fmt.Errorf("record webhook: %w", err)
	}
	return nil
}
