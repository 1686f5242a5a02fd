package connections

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// columns are the Connection fields, in scanConnection's order.
const columns = `id, name, environment, organization_id, organization_name,
	scopes, token_hint, created_at, updated_at, checked_at, disabled_at,
	(webhook_secret_ciphertext <> ''), webhook_received_at, rate_limit`

// Create stores a new connection with a fresh id and signing secret, and
// returns it with the signing secret, which is shown to the merchant once.
func (s *Store) Create(ctx context.Context, n NewConnection) (Connection, Secret, error) {
	n, err := n.normalize()
	if err != nil {
		return Connection{}, "", err
	}
	id, err := newID()
	if err != nil {
		return Connection{}, "", err
	}
	secret, err := newSigningSecret()
	if err != nil {
		return Connection{}, "", err
	}
	ring := s.keys()
	tokenCT, err := ring.Seal([]byte(n.Token), fieldAAD(id, fieldToken))
	if err != nil {
		return Connection{}, "", fmt.Errorf("encrypt token: %w", err)
	}
	secretCT, err := ring.Seal([]byte(secret), fieldAAD(id, fieldSigningSecret))
	if err != nil {
		return Connection{}, "", fmt.Errorf("encrypt signing secret: %w", err)
	}
	now := s.timestamp()
	c := Connection{
		ID: id, Name: n.Name, Environment: n.Environment, Organization: n.Organization,
		Scopes: n.Scopes, TokenHint: tokenHint(n.Token), CreatedAt: now, UpdatedAt: now,
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if err := ensureKeyCheck(ctx, tx, ring, ring.Primary(), now); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO connections (id, name, environment,
			organization_id, organization_name, scopes, token_hint, token_ciphertext,
			signing_secret_ciphertext, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
			c.ID, c.Name, string(c.Environment), c.Organization.ID, c.Organization.Name,
			strings.Join(c.Scopes, " "), c.TokenHint, tokenCT, secretCT, now)
		if err != nil {
			return fmt.Errorf("create connection: %w", err)
		}
		return nil
	})
	if err != nil {
		return Connection{}, "", err
	}
	return c, secret, nil
}

// Get returns the connection with the id, disabled or not.
func (s *Store) Get(ctx context.Context, id string) (Connection, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+columns+` FROM connections WHERE id = $1`, id)
	return scanOne(row, id)
}

// List returns every connection, oldest first.
func (s *Store) List(ctx context.Context) ([]Connection, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+columns+` FROM connections ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("list connections: %w", err)
	}
	defer rows.Close()
	list := []Connection{}
	for rows.Next() {
		c, err := scanConnection(rows)
		if err != nil {
			return nil, fmt.Errorf("list connections: %w", err)
		}
		list = append(list, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list connections: %w", err)
	}
	return list, nil
}

// UpdateCheck records the result of checking a connection's token against
// Polar: the scopes found to work and the token's organization. An
// organization with an empty id or name keeps the stored one.
func (s *Store) UpdateCheck(ctx context.Context, id string, scopes []string, org Organization) (Connection, error) {
	scopes, err := normalizeScopes(scopes)
	if err != nil {
		return Connection{}, err
	}
	org.ID, org.Name = strings.TrimSpace(org.ID), strings.TrimSpace(org.Name)
	if err := checkOrganization(org); err != nil {
		return Connection{}, err
	}
	return s.update(ctx, id, `scopes = $2,
		organization_id = COALESCE(NULLIF($3, ''), organization_id),
		organization_name = COALESCE(NULLIF($4, ''), organization_name),
		checked_at = $5, updated_at = $5`,
		strings.Join(scopes, " "), org.ID, org.Name, s.timestamp())
}

// Disable stops a connection from being served: Credentials refuses it
// with ErrDisabled. Disabling a disabled connection changes nothing.
func (s *Store) Disable(ctx context.Context, id string) (Connection, error) {
	return s.update(ctx, id, `disabled_at = COALESCE(disabled_at, $2),
		updated_at = CASE WHEN disabled_at IS NULL THEN $2 ELSE updated_at END`, s.timestamp())
}

// Enable serves a disabled connection again.
func (s *Store) Enable(ctx context.Context, id string) (Connection, error) {
	return s.update(ctx, id, `disabled_at = NULL,
		updated_at = CASE WHEN disabled_at IS NULL THEN updated_at ELSE $2 END`, s.timestamp())
}

// Remove deletes a connection and its encrypted credentials.
func (s *Store) Remove(ctx context.Context, id string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM connections WHERE id = $1`, id)
		if err != nil {
			return fmt.Errorf("remove connection: %w", err)
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return notFound(id)
		}
		return err
	})
}

// update sets columns of one connection by the SQL assignments set, whose
// parameters start at $2, and returns the updated connection.
func (s *Store) update(ctx context.Context, id, set string, args ...any) (Connection, error) {
	var c Connection
	err := s.tx(ctx, func(tx *sql.Tx) error {
		row := tx.QueryRowContext(ctx, `UPDATE connections SET `+set+
			` WHERE id = $1 RETURNING `+columns, append([]any{id}, args...)...)
		var err error
		c, err = scanOne(row, id)
		return err
	})
	return c, err
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

func scanOne(row scanner, id string) (Connection, error) {
	c, err := scanConnection(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Connection{}, notFound(id)
	}
	if err != nil {
		return Connection{}, fmt.Errorf("read connection: %w", err)
	}
	return c, nil
}

func scanConnection(row scanner) (Connection, error) {
	var c Connection
	var env, scopes string
	var checked, disabled, webhook sql.NullTime
	err := row.Scan(&c.ID, &c.Name, &env, &c.Organization.ID, &c.Organization.Name,
		&scopes, &c.TokenHint, &c.CreatedAt, &c.UpdatedAt, &checked, &disabled,
		&c.WebhookSecretSet, &webhook, &c.RateLimit)
	if err != nil {
		return Connection{}, err
	}
	c.Environment = Environment(env)
	c.Scopes = strings.Fields(scopes)
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	c.CheckedAt, c.DisabledAt = timePtr(checked), timePtr(disabled)
	c.WebhookReceivedAt = timePtr(webhook)
	return c, nil
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// notFound wraps ErrNotFound with id when id looks like a connection id.
// Anything else might be a secret pasted in the wrong place, so it is not
// repeated.
func notFound(id string) error {
	if looksLikeID(id) {
		return fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	return ErrNotFound
}

func looksLikeID(id string) bool {
	rest, ok := strings.CutPrefix(id, idPrefix)
	return ok && len(rest) == 16 && strings.Trim(rest, idAlphabet) == ""
}
