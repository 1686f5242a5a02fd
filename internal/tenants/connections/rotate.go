package connections

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/polar-mcp/polar-mcp/internal/tenants/keyring"
)

// sealed is one connection's pair of ciphertexts.
type sealed struct {
	id, token, secret, webhook string // webhook is '' when unset
}

// RotateKey re-encrypts every ciphertext that is not under the key kid
// (the ring's primary when kid is "") under kid, in one transaction, and
// returns how many connections it changed. From then on the store seals
// new ciphertexts under kid too. Once it returns, the other keys are no
// longer needed (see KeyIDsInUse) unless another process, still
// configured with an older primary, writes afterwards.
func (s *Store) RotateKey(ctx context.Context, kid string) (int, error) {
	ring := s.keys()
	if kid == "" {
		kid = ring.Primary()
	}
	target, err := ring.WithPrimary(kid)
	if err != nil {
		return 0, fmt.Errorf("rotate key: %w", err)
	}
	lock := ""
	if s.dialect == dialectPostgres {
		lock = " FOR UPDATE"
	}
	changed := 0
	err = s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := readSealed(ctx, tx, lock)
		if err != nil {
			return err
		}
		if err := ensureKeyCheck(ctx, tx, target, kid, s.timestamp()); err != nil {
			return err
		}
		for _, r := range rows {
			token, tokenChanged, err := reseal(target, r.token, r.id, fieldToken)
			if err != nil {
				return err
			}
			secret, secretChanged, err := reseal(target, r.secret, r.id, fieldSigningSecret)
			if err != nil {
				return err
			}
			webhook, webhookChanged := r.webhook, false
			if webhook != "" {
				if webhook, webhookChanged, err = reseal(target, r.webhook, r.id, fieldWebhookSecret); err != nil {
					return err
				}
			}
			if !tokenChanged && !secretChanged && !webhookChanged {
				continue
			}
			_, err = tx.ExecContext(ctx, `UPDATE connections SET token_ciphertext = $2,
				signing_secret_ciphertext = $3, webhook_secret_ciphertext = $4 WHERE id = $1`,
				r.id, token, secret, webhook)
			if err != nil {
				return fmt.Errorf("rotate key: %w", err)
			}
			changed++
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM key_checks WHERE key_id <> $1`, kid)
		if err != nil {
			return fmt.Errorf("rotate key: %w", err)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	s.ring = target
	s.mu.Unlock()
	if s.dialect == dialectSQLite {
		// Move the rewritten pages out of the write-ahead log into the
		// file (where secure_delete zeroed the old cells) and empty the log,
		// so no ciphertext under a retired key stays on disk.
		if _, err := s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			return changed, fmt.Errorf("rotate key: checkpoint: %w", err)
		}
	}
	return changed, nil
}

// reseal returns ct sealed under ring's primary, unless it already is.
func reseal(ring *keyring.Ring, ct, id, field string) (string, bool, error) {
	if kid, err := keyring.KeyID(ct); err == nil && kid == ring.Primary() {
		return ct, false, nil
	}
	aad := fieldAAD(id, field)
	pt, err := ring.Open(ct, aad)
	if err != nil {
		return "", false, fmt.Errorf("rotate key: connection %s: decrypt %s: %w", id, field, err)
	}
	out, err := ring.Seal(pt, aad)
	if err != nil {
		return "", false, fmt.Errorf("rotate key: connection %s: encrypt %s: %w", id, field, err)
	}
	return out, true, nil
}

// querier is a *sql.DB or *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// readSealed reads every connection's ciphertexts. lock is appended to
// the query (" FOR UPDATE" on PostgreSQL).
func readSealed(ctx context.Context, q querier, lock string) ([]sealed, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, token_ciphertext, signing_secret_ciphertext,
		webhook_secret_ciphertext FROM connections ORDER BY id`+lock)
	if err != nil {
		return nil, fmt.Errorf("read ciphertexts: %w", err)
	}
	defer rows.Close()
	var out []sealed
	for rows.Next() {
		var r sealed
		if err := rows.Scan(&r.id, &r.token, &r.secret, &r.webhook); err != nil {
			return nil, fmt.Errorf("read ciphertexts: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read ciphertexts: %w", err)
	}
	return out, nil
}

// KeyIDsInUse returns the ids of the master keys that stored credentials
// are encrypted under, sorted. A configured key not in the list may be
// removed from the configuration.
func (s *Store) KeyIDsInUse(ctx context.Context) ([]string, error) {
	rows, err := readSealed(ctx, s.db, "")
	if err != nil {
		return nil, err
	}
	ids := []string{}
	for _, r := range rows {
		for _, ct := range []string{r.token, r.secret, r.webhook} {
			if ct == "" {
				continue // no webhook secret
			}
			kid, err := keyring.KeyID(ct)
			if err != nil {
				return nil, fmt.Errorf("connection %s: %w", r.id, err)
			}
			if !slices.Contains(ids, kid) {
				ids = append(ids, kid)
			}
		}
	}
	slices.Sort(ids)
	return ids, nil
}
