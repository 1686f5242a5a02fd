package connections

import (
	"context"
	"errors"
	"fmt"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/tenants/keyring"
)

// OpenConfigured opens the connection store cfg names (validated with
// ValidateStore). A missing, malformed or wrong master key, or a database
// URL of no supported kind, is a configuration error (config.ErrInvalid):
// exit code 2 before anything is served. Messages name neither the keys
// nor the URL, which may hold a password.
func OpenConfigured(ctx context.Context, cfg config.Config) (*Store, error) {
	ring, err := keyring.Load(cfg.MasterKey, cfg.MasterKeyFile)
	if err != nil {
		return nil, fmt.Errorf("%w: master key: %v", config.ErrInvalid, err)
	}
	store, err := Open(ctx, cfg.DatabaseURL, ring)
	switch {
	case errors.Is(err, ErrWrongKey), errors.Is(err, ErrKeyMissing),
		errors.Is(err, ErrUnsupportedURL), errors.Is(err, keyring.ErrNoKey):
		return nil, fmt.Errorf("%w: connection store: %v", config.ErrInvalid, err)
	case err != nil:
		return nil, fmt.Errorf("connection store: %w", err)
	}
	return store, nil
}

// ConfiguredSigningKey is the signing secret of connection id in the
// store cfg names (validated with ValidateStore): what caller tokens for
// it are signed with.
func ConfiguredSigningKey(ctx context.Context, cfg config.Config, id string) ([]byte, error) {
	store, err := OpenConfigured(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer store.Close()
	creds, err := store.Credentials(ctx, id)
	if err != nil {
		return nil, err
	}
	return creds.SigningKey(), nil
}
