package main

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"

	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/buildinfo"
	"github.com/polar-mcp/polar-mcp/caller"
	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
	"github.com/polar-mcp/polar-mcp/polar/fakepolar"
	"github.com/polar-mcp/polar-mcp/tools"
)

// demoServerURL is where demo requests claim to go; they never leave the
// process.
const demoServerURL = "http://demo.polar.invalid"

// newPolarClient builds the Polar adapter cfg describes. In demo mode it
// talks to the embedded fake Polar API through an in-memory transport.
func newPolarClient(cfg config.Config, logger *slog.Logger) (polar.Client, error) {
	pc := polar.Config{
		AccessToken:       cfg.AccessToken,
		Environment:       cfg.Environment,
		ServerURL:         cfg.ServerURL,
		APIVersion:        cfg.APIVersion,
		UserAgent:         buildinfo.UserAgent(),
		Timeout:           cfg.Timeout,
		RequestsPerMinute: cfg.RateLimit,
		Headroom:          cfg.RateHeadroom,
		Logger:            logger,
	}
	if cfg.Demo {
		fake, err := newDemoPolar()
		if err != nil {
			return nil, err
		}
		pc.AccessToken = fakepolar.DemoToken
		pc.ServerURL = demoServerURL
		pc.HTTPClient = &http.Client{Transport: inMemory{fake}}
	}
	sdk, err := polar.New(pc)
	if err != nil {
		return nil, err
	}
	return cache.New(sdk, cacheConfig(cfg)), nil
}

// cacheConfig maps the configured TTLs; zero keeps the adapter's defaults.
func cacheConfig(cfg config.Config) cache.Config {
	return cache.Config{
		CustomerTTL: cfg.CustomerCacheTTL,
		CatalogTTL:  cfg.CatalogCacheTTL,
		BillingTTL:  cfg.BillingCacheTTL,
	}
}

// newDemoPolar is the fake Polar API serving the embedded demo organization.
func newDemoPolar() (*fakepolar.Server, error) {
	return newFake(nil, fakepolar.Options{}, nil)
}

// demoFS is the embedded demo organization's fixture directory.
func demoFS() (fs.FS, error) {
	return fakepolar.DemoFS(), nil
}

// inMemory is an http.RoundTripper that serves requests with a handler in
// the same process: the demo needs no network at all.
type inMemory struct{ h http.Handler }

// RoundTrip implements http.RoundTripper.
func (t inMemory) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	res := rec.Result()
	res.Request = r
	return res, nil
}

// stdioIdentity is who a stdio (or call) session acts as: an agent when
// POLAR_MCP_ROLE=agent, otherwise the configured verified customer (by
// email, by the merchant's external id, or both, which must then name one
// Polar customer). The
// demo acts as an agent when nothing is configured, so every tool can be
// tried.
func stdioIdentity(cfg config.Config) (caller.Identity, bool) {
	switch {
	case cfg.Role == config.RoleAgent:
		return caller.Identity{Role: caller.Agent, Email: cfg.CustomerEmail}, true
	case cfg.CustomerEmail != "" || cfg.CustomerExternalID != "":
		return caller.Identity{Role: caller.Customer, Email: cfg.CustomerEmail, ExternalID: cfg.CustomerExternalID,
			Locale: cfg.Locale}, true
	case cfg.Demo:
		return caller.Identity{Role: caller.Agent}, true
	default:
		return caller.Identity{}, false
	}
}

// withIdentity returns a context func that stamps id on every request.
func withIdentity(id caller.Identity, ok bool) func(context.Context) context.Context {
	return func(ctx context.Context) context.Context {
		if !ok {
			return ctx
		}
		return caller.With(ctx, id)
	}
}

// newToolsServer assembles the MCP server for one organization; mw wraps
// every tool call (the hosted call limit).
func newToolsServer(cfg config.Config, client polar.Client, logger *slog.Logger, mw ...server.ToolHandlerMiddleware) *mcpServer {
	deps := tools.Deps{
		Client: func(context.Context) (polar.Client, error) { return client, nil },
		Logger: logger,
	}
	return tools.NewServer(deps, tools.Options{ReadOnly: cfg.ReadOnly, Version: version, Middleware: mw})
}
