package polarmcp

import (
	"log/slog"

	"github.com/polar-mcp/polar-mcp/internal/fleet"
	"github.com/polar-mcp/polar-mcp/internal/tenants"
)

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
