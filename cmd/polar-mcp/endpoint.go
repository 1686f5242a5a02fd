package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/auth"
	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/connections"
	"github.com/polar-mcp/polar-mcp/hosted"
	"github.com/polar-mcp/polar-mcp/merchants"
	"github.com/polar-mcp/polar-mcp/tools"
)

// sweepInterval is how often the server drops the adapters of connections
// removed or disabled elsewhere that nobody has called since.
const sweepInterval = time.Minute

// endpoint is everything polar-mcp http serves on one port: the single
// merchant at the root, the merchants' connections under /c/, and the
// admin API under /admin/connections, each when configured.
type endpoint struct {
	mux    *http.ServeMux
	root   *hosted.Handler // nil without a single merchant
	conns  *hosted.Handler // nil without a store
	store  *connections.Store
	router *merchants.Router
}

// newEndpoint builds the endpoint cfg (validated with ValidateServer)
// describes.
func newEndpoint(ctx context.Context, cfg config.Config, logger *slog.Logger) (*endpoint, error) {
	e := &endpoint{mux: http.NewServeMux()}
	if cfg.SingleMerchant() || !cfg.MultiMerchant() {
		client, err := newPolarClient(cfg, logger)
		if err != nil {
			return nil, err
		}
		secret, err := auth.StaticSecret([]byte(cfg.TokenSecret))
		if err != nil {
			return nil, fmt.Errorf("%w: POLAR_MCP_TOKEN_SECRET: %v", config.ErrInvalid, err)
		}
		e.root, err = hosted.New(withLimits(hosted.Config{
			BaseURL: cfg.BaseURL, Secret: secret, AllowedOrigins: cfg.AllowedOrigins, Logger: logger, MaxTokenTTL: cfg.TokenMaxTTL,
		}, cfg), newToolsServer(cfg, client, logger, hosted.LimitCalls(cfg.CallsPerMinute, cfg.CallBurst)))
		if err != nil {
			return nil, err
		}
	}
	if cfg.MultiMerchant() {
		if err := e.serveConnections(ctx, cfg, logger); err != nil {
			return nil, err
		}
	}
	if e.root != nil {
		e.mux.Handle("/", e.root)
	} else {
		e.mux.Handle("/", e.conns) // health, readiness; /mcp and /sse are 404
	}
	return e, nil
}

// serveConnections opens the store and serves its connections under /c/,
// and the admin API when an admin key is set.
func (e *endpoint) serveConnections(ctx context.Context, cfg config.Config, logger *slog.Logger) error {
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	e.store = store
	e.router, err = merchants.NewRouter(merchants.RouterConfig{
		Store:      store,
		NewAdapter: connectionAdapters(cfg, logger),
		NewLimiter: connectionLimiters(cfg),
		Cache:      cacheConfig(cfg),
		Logger:     logger,
	})
	if err != nil {
		return errors.Join(err, store.Close())
	}
	deps := tools.Deps{Client: e.router.Client, Logger: logger}
	mcp := tools.NewServer(deps, tools.Options{ReadOnly: cfg.ReadOnly, Version: version,
		Middleware: []server.ToolHandlerMiddleware{hosted.LimitCalls(cfg.CallsPerMinute, cfg.CallBurst)}})
	e.conns, err = newConnectionsHandler(cfg, e.router, mcp, logger)
	if err != nil {
		return errors.Join(err, store.Close())
	}
	e.mux.Handle("/c/", e.conns)
	e.mux.Handle(server.WellKnownProtectedResourcePath+"/c/", e.conns)
	if cfg.AdminKey != "" {
		svc, err := newMerchantService(cfg, store, e.router, logger)
		if err != nil {
			return errors.Join(err, store.Close())
		}
		admin, err := merchants.NewAdmin(svc, cfg.AdminKey, logger)
		if err != nil {
			return errors.Join(fmt.Errorf("%w: POLAR_MCP_ADMIN_KEY: %v", config.ErrInvalid, err), store.Close())
		}
		e.mux.Handle(merchants.AdminPath, admin)
		e.mux.Handle(merchants.AdminPath+"/", admin)
	}
	return nil
}

// newConnectionsHandler is the per-connection hosted endpoint.
func newConnectionsHandler(cfg config.Config, router *merchants.Router, mcp *mcpServer, logger *slog.Logger) (*hosted.Handler, error) {
	return hosted.New(withLimits(hosted.Config{
		BaseURL:        cfg.BaseURL,
		Secret:         router.Secret,
		PerConnection:  true,
		MaxTokenTTL:    cfg.TokenMaxTTL,
		AllowedOrigins: cfg.AllowedOrigins,
		Logger:         logger,
	}, cfg), mcp)
}

// withLimits copies the per-caller limits of cfg into hc.
func withLimits(hc hosted.Config, cfg config.Config) hosted.Config {
	hc.MaxStreamsPerCaller = cfg.MaxStreamsPerCaller
	hc.MaxSessionsPerCaller = cfg.MaxSessionsPerCaller
	hc.SessionIdleTTL = cfg.SessionIdleTTL
	hc.BodyReadTimeout = cfg.BodyReadTimeout
	return hc
}

// ServeHTTP implements http.Handler.
func (e *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) { e.mux.ServeHTTP(w, r) }

// run does the endpoint's background work (sweeping dropped connections)
// until ctx ends.
func (e *endpoint) run(ctx context.Context) {
	if e.router != nil {
		e.router.Run(ctx, sweepInterval)
	}
}

// Shutdown drains both hosted handlers (see hosted.Handler.Shutdown).
func (e *endpoint) Shutdown(ctx context.Context) error {
	var errs []error
	for _, h := range []*hosted.Handler{e.root, e.conns} {
		if h != nil {
			errs = append(errs, h.Shutdown(ctx))
		}
	}
	return errors.Join(errs...)
}

// Close closes the store, after Shutdown.
func (e *endpoint) Close() error {
	if e.store == nil {
		return nil
	}
	return e.store.Close()
}
