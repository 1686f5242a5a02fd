package connections

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/tenants/keyring"
)

// keyCheckPlaintext is sealed under every key that may be needed: if a
// configured key opens it, the key is the one that sealed the data.
const keyCheckPlaintext = "polar-mcp key check v1"

// The fields a connection encrypts, named in their ciphertexts' AAD.
const (
	fieldToken         = "token"
	fieldSigningSecret = "signing_secret"
	fieldWebhookSecret = "webhook_secret"
)

// fieldAAD binds a ciphertext to its connection and field, so it cannot
// be moved to another row or column.
func fieldAAD(id, field string) []byte {
	return []byte("polar-mcp/v1/connection/" + id + "/" + field)
}

func keyCheckAAD(kid string) []byte {
	return []byte("polar-mcp/v1/key-check/" + kid)
}

// checkKeys verifies ring against the database in one transaction: every
// key id the data needs is configured, and every configured key that has
// a check value opens it. It records a check value for the primary key.
// Check values of unconfigured keys that no data uses any more are
// dropped.
func (s *Store) checkKeys(ctx context.Context) error {
	ring := s.keys()
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := ensureKeyCheck(ctx, tx, ring, ring.Primary(), s.timestamp()); err != nil {
			return err
		}
		checks, err := readKeyChecks(ctx, tx)
		if err != nil {
			return err
		}
		for kid, check := range checks {
			if !ring.Has(kid) {
				if err := dropUnusedKeyCheck(ctx, tx, kid, ring); err != nil {
					return err
				}
				continue
			}
			pt, err := ring.Open(check, keyCheckAAD(kid))
			if err != nil || string(pt) != keyCheckPlaintext {
				return fmt.Errorf("%w: master key %q does not decrypt the data stored under that key id", ErrWrongKey, kid)
			}
		}
		return nil
	})
}

func readKeyChecks(ctx context.Context, tx *sql.Tx) (map[string]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT key_id, check_value FROM key_checks`)
	if err != nil {
		return nil, fmt.Errorf("read key checks: %w", err)
	}
	defer rows.Close()
	checks := map[string]string{}
	for rows.Next() {
		var kid, check string
		if err := rows.Scan(&kid, &check); err != nil {
			return nil, fmt.Errorf("read key checks: %w", err)
		}
		checks[kid] = check
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read key checks: %w", err)
	}
	return checks, nil
}

// dropUnusedKeyCheck deletes the check value of kid, which ring lacks,
// unless some ciphertext still needs kid.
func dropUnusedKeyCheck(ctx context.Context, tx *sql.Tx, kid string, ring *keyring.Ring) error {
	// '_' in a key id is a LIKE wildcard; a false match only keeps the
	// check value and reports the key missing, the safe side.
	prefix := "v1:" + kid + ":%"
	var used bool
	err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM connections
		WHERE token_ciphertext LIKE $1 OR signing_secret_ciphertext LIKE $1)`, prefix).Scan(&used)
	if err != nil {
		return fmt.Errorf("read key checks: %w", err)
	}
	if used {
		return fmt.Errorf("%w: this database holds credentials encrypted under key id %q; configured key ids: %s",
			ErrKeyMissing, kid, strings.Join(ring.IDs(), ", "))
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM key_checks WHERE key_id = $1`, kid); err != nil {
		return fmt.Errorf("drop key check: %w", err)
	}
	return nil
}

// ensureKeyCheck records a check value for kid unless one exists. Every
// transaction that seals under kid calls it, so a check value exists for
// every key any ciphertext needs.
func ensureKeyCheck(ctx context.Context, tx *sql.Tx, ring *keyring.Ring, kid string, now time.Time) error {
	check, err := ring.SealWith(kid, []byte(keyCheckPlaintext), keyCheckAAD(kid))
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO key_checks (key_id, check_value, created_at)
		VALUES ($1, $2, $3) ON CONFLICT (key_id) DO NOTHING`, kid, check, now)
	if err != nil {
		return fmt.Errorf("record key check: %w", err)
	}
	return nil
}
