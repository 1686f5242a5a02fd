package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/polar-mcp/polar-mcp/buildinfo"
	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/connections"
	"github.com/polar-mcp/polar-mcp/keyring"
	"github.com/polar-mcp/polar-mcp/merchants"
	"github.com/polar-mcp/polar-mcp/polar"
)

// openStore opens the connection store cfg names (validated with
// ValidateStore). A missing, malformed or wrong master key, or a database
// URL of no supported kind, is a configuration error: exit code 2 before
// anything is served. Messages name neither the keys nor the URL, which
// may hold a password.
func openStore(ctx context.Context, cfg config.Config) (*connections.Store, error) {
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

// connectionAdapters builds each connection's uncached adapter: the
// connection's token and environment, and the operator's server URL
// (POLAR_SERVER_URL applies to every connection), API version and timeout.
func connectionAdapters(cfg config.Config, logger *slog.Logger) merchants.AdapterFunc {
	return func(env connections.Environment, token string, limiter *polar.Limiter) (merchants.Adapter, error) {
		return polar.New(polar.Config{
			AccessToken: token,
			Environment: string(env),
			ServerURL:   cfg.ServerURL,
			APIVersion:  cfg.APIVersion,
			UserAgent:   buildinfo.UserAgent(),
			Logger:      logger,
			Limiter:     limiter,
		})
	}
}

// connectionLimiters paces each connection at POLAR_MCP_RATE_LIMIT, or at
// Polar's published limit for its environment, less the headroom.
func connectionLimiters(cfg config.Config) merchants.LimiterFunc {
	return func(env connections.Environment) *polar.Limiter {
		budget := polar.RateBudget(polar.Config{
			Environment:       string(env),
			RequestsPerMinute: cfg.RateLimit,
			Headroom:          cfg.RateHeadroom,
		})
		return polar.NewLimiter(polar.LimiterConfig{RequestsPerMinute: budget})
	}
}

// newMerchantService is the service over store; live is the router of a
// running server, nil for the CLI.
func newMerchantService(cfg config.Config, store *connections.Store, live merchants.Live, logger *slog.Logger) (*merchants.Service, error) {
	return merchants.NewService(merchants.ServiceConfig{
		Store:      store,
		NewAdapter: connectionAdapters(cfg, logger),
		NewLimiter: connectionLimiters(cfg),
		Live:       live,
		Logger:     logger,
	})
}

// tokenSecret returns the key the token command signs with, and the
// audience: POLAR_MCP_TOKEN_SECRET and --audience, or, with --connection,
// the connection's signing secret from the store and its id.
func tokenSecret(cmd *cobra.Command, connection, audience string) ([]byte, string, error) {
	cfg, err := readConfig(cmd) // minting needs no Polar settings
	if err != nil {
		return nil, "", err
	}
	if connection == "" {
		if err := cfg.ValidateHosted(); err != nil {
			return nil, "", err
		}
		return []byte(cfg.TokenSecret), audience, nil
	}
	if audience != "" && audience != connection {
		return nil, "", usageErr("--audience and --connection name different connections")
	}
	if err := cfg.ValidateStore(); err != nil {
		return nil, "", err
	}
	store, err := openStore(cmd.Context(), cfg)
	if err != nil {
		return nil, "", err
	}
	defer store.Close()
	creds, err := store.Credentials(cmd.Context(), connection)
	if err != nil {
		return nil, "", err
	}
	return creds.SigningKey(), connection, nil
}
