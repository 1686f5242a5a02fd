package polarmcp

import (
	"context"
	"errors"
	"log/slog"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/tenants"
	"github.com/polar-mcp/polar-mcp/internal/tenants/connections"
)

// OpenService opens the connection store cfg (validated with
// ValidateConnections) names, and the connections' lifecycle service over
// it for the CLI (no running router). Close the store when done.
func OpenService(ctx context.Context, cfg config.Config, log *slog.Logger) (*tenants.Service, *connections.Store, error) {
	store, err := connections.OpenConfigured(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	adapters, err := NewAdapters(cfg, log)
	if err != nil {
		return nil, nil, errors.Join(err, store.Close())
	}
	svc, err := adapters.Service(store, nil, log)
	if err != nil {
		return nil, nil, errors.Join(err, store.Close())
	}
	return svc, store, nil
}
