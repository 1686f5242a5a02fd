package polarmcp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/fleet"
	"github.com/polar-mcp/polar-mcp/internal/tenants"
	"github.com/polar-mcp/polar-mcp/internal/tenants/connections"
	"github.com/polar-mcp/polar-mcp/internal/tenants/keyring"
)

// OpenStore opens the connection store cfg names (validated with
// ValidateStore). A missing, malformed or wrong master key, or a database
// URL of no supported kind, is a configuration error (config.ErrInvalid):
// exit code 2 before anything is served. Messages name neither the keys
// nor the URL, which may hold a password.
func OpenStore(ctx context.Context, cfg config.Config) (*connections.Store, error) {
	ring, err := keyring.Load(cfg.MasterKey, cfg.MasterKeyFile)
	if err != nil {
		return nil, fmt.Errorf("%w: master key: %v", config.ErrInvalid, err)
	}
	store, err := connections.Open(ctx, cfg.DatabaseURL, ring)
	switch {
	case errors.Is(err, connections.ErrWrongKey), errors.Is(err, connections.ErrKeyMissing),
		errors.Is(err, connections.ErrUnsupportedURL), errors.Is(err, keyring.ErrNoKey):
		return nil, fmt.Errorf("%w: connection store: %v", config.ErrInvalid, err)
	case err != nil:
		return nil, fmt.Errorf("connection store: %w", err)
	}
	return store, nil
}

// NewService is the connections' lifecycle service over store; live is the
// router of a running server, nil for the CLI.
func NewService(adapters *fleet.Adapters, store tenants.Store, live tenants.Live, log *slog.Logger) (*tenants.Service, error) {
	return tenants.NewService(tenants.ServiceConfig{
		Store:      store,
		NewAdapter: adapters.SDK,
		NewLimiter: adapters.Limiter,
		Live:       live,
		Logger:     log,
	})
}
