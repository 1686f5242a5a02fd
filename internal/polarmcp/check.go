package polarmcp

import (
	"log/slog"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/tenants"
	"github.com/polar-mcp/polar-mcp/internal/tenants/connections"
)

// MerchantAdapter is the single merchant's token (cfg.AccessToken in
// cfg.Environment, or at cfg.ServerURL) as a tenants.Adapter, for
// `polar-mcp check` to probe as `connections check` does
// (tenants.VerifyToken).
func MerchantAdapter(cfg config.Config) (tenants.Adapter, connections.Environment, error) {
	adapters, err := NewAdapters(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, "", err
	}
	env := connections.Environment(cfg.Environment)
	adapter, err := adapters.SDK(env, cfg.AccessToken, adapters.Limiter(env, "", 0))
	return adapter, env, err
}
