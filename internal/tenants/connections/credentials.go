package connections

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/polar-mcp/polar-mcp/internal/tenants/keyring"
)

// Credentials decrypts a connection's Polar access token and signing
// secret. It is the only way to read them. It fails with ErrNotFound for
// an unknown id and ErrDisabled for a disabled connection.
func (s *Store) Credentials(ctx context.Context, id string) (Credentials, error) {
	var tokenCT, secretCT string
	var disabled sql.NullTime
	err := s.db.QueryRowContext(ctx, `SELECT token_ciphertext, signing_secret_ciphertext, disabled_at
		FROM connections WHERE id = $1`, id).Scan(&tokenCT, &secretCT, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return Credentials{}, notFound(id)
	}
	if err != nil {
		return Credentials{}, fmt.Errorf("read credentials: %w", err)
	}
	if disabled.Valid {
		return Credentials{}, fmt.Errorf("%w: %s", ErrDisabled, id)
	}
	ring := s.keys()
	token, err := ring.Open(tokenCT, fieldAAD(id, fieldToken))
	if err != nil {
		return Credentials{}, fmt.Errorf("connection %s: decrypt token: %w", id, err)
	}
	secret, err := ring.Open(secretCT, fieldAAD(id, fieldSigningSecret))
	if err != nil {
		return Credentials{}, fmt.Errorf("connection %s: decrypt signing secret: %w", id, err)
	}
	return Credentials{Token: Secret(token), SigningSecret: Secret(secret)}, nil
}

// RotateSecret replaces a connection's signing secret and returns the new
// one. Caller tokens signed with the old secret stop verifying.
func (s *Store) RotateSecret(ctx context.Context, id string) (Secret, error) {
	secret, err := newSigningSecret()
	if err != nil {
		return "", err
	}
	ring := s.keys()
	ct, err := ring.Seal([]byte(secret), fieldAAD(id, fieldSigningSecret))
	if err != nil {
		return "", fmt.Errorf("encrypt signing secret: %w", err)
	}
	err = s.setCiphertext(ctx, id, `signing_secret_ciphertext = $2, updated_at = $3`, ring, ct)
	if err != nil {
		return "", err
	}
	return secret, nil
}

// ReplaceToken stores a new Polar access token for a connection, keeping
// its id and signing secret; record the new token's check with
// UpdateCheck.
func (s *Store) ReplaceToken(ctx context.Context, id, token string) (Connection, error) {
	token, err := normalizeToken(token)
	if err != nil {
		return Connection{}, err
	}
	ring := s.keys()
	ct, err := ring.Seal([]byte(token), fieldAAD(id, fieldToken))
	if err != nil {
		return Connection{}, fmt.Errorf("encrypt token: %w", err)
	}
	err = s.setCiphertext(ctx, id, `token_ciphertext = $2, updated_at = $3, token_hint = $4`,
		ring, ct, tokenHint(token))
	if err != nil {
		return Connection{}, err
	}
	return s.Get(ctx, id)
}

// setCiphertext updates one connection by the assignments set, whose
// parameters are $2 = ct, $3 = the time and extra from $4 on. It first
// records the key check of the ring's primary, which sealed ct.
func (s *Store) setCiphertext(ctx context.Context, id, set string, ring *keyring.Ring, ct string, extra ...any) error {
	now := s.timestamp()
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := ensureKeyCheck(ctx, tx, ring, ring.Primary(), now); err != nil {
			return err
		}
		args := append([]any{id, ct, now}, extra...)
		res, err := tx.ExecContext(ctx, `UPDATE connections SET `+set+` WHERE id = $1`, args...)
		if err != nil {
			return fmt.Errorf("update connection: %w", err)
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return notFound(id)
		}
		return err
	})
}
