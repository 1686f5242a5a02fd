package polarmcp

import (
	"log/slog"
	"net/http"

	"github.com/polar-mcp/polar-mcp/buildinfo"
	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/connections"
	"github.com/polar-mcp/polar-mcp/merchants"
	"github.com/polar-mcp/polar-mcp/observe"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
	"github.com/polar-mcp/polar-mcp/polar/fakepolar"
)

// demoServerURL is where demo requests claim to go; they never leave the
// process.
const demoServerURL = "http://demo.polar.invalid"

// Adapters builds every Polar adapter of one server from the operator's
// settings: the server URL, API version, User-Agent, rate budget and
// cache lifetimes. It is the one place that decides which adapter an
// organization gets.
type Adapters struct {
	cfg config.Config
	log *slog.Logger
	obs *observe.Observer // nil: not observed
}

// NewAdapters returns the builder for cfg (validated).
func NewAdapters(cfg config.Config, log *slog.Logger) *Adapters {
	return &Adapters{cfg: cfg, log: log}
}

// Observed returns a builder like a whose adapters and caches report to
// obs (metrics and traces).
func (a *Adapters) Observed(obs *observe.Observer) *Adapters {
	b := *a
	b.obs = obs
	return &b
}

// Limiter returns a new rate limiter for an organization in env: the
// configured POLAR_MCP_RATE_LIMIT, or Polar's published limit for env
// (whatever server URL serves it), less the headroom.
func (a *Adapters) Limiter(env connections.Environment) *polar.Limiter {
	budget := polar.RateBudget(polar.Config{
		Environment:       string(env),
		RequestsPerMinute: a.cfg.RateLimit,
		Headroom:          a.cfg.RateHeadroom,
	})
	if budget == 0 {
		return nil // POLAR_MCP_RATE_LIMIT < 0: no client-side limit
	}
	return polar.NewLimiter(polar.LimiterConfig{RequestsPerMinute: budget})
}

// SDK returns the uncached adapter for token in env, paced by limiter
// (shared by every adapter of the same organization). It is the
// merchants.AdapterFunc of the connection store.
func (a *Adapters) SDK(env connections.Environment, token string, limiter *polar.Limiter) (merchants.Adapter, error) {
	return a.sdk(env, token, limiter, a.cfg.ServerURL, nil)
}

func (a *Adapters) sdk(env connections.Environment, token string, limiter *polar.Limiter, serverURL string, client polar.HTTPDoer) (*polar.SDKClient, error) {
	var obs polar.Observer
	if a.obs != nil {
		obs = a.obs
	}
	return polar.New(polar.Config{
		Observer:          obs,
		AccessToken:       token,
		Environment:       string(env),
		ServerURL:         serverURL,
		APIVersion:        a.cfg.APIVersion,
		UserAgent:         buildinfo.UserAgent(),
		HTTPClient:        client,
		Logger:            a.log,
		Limiter:           limiter,
		RequestsPerMinute: -1, // paced by limiter only
	})
}

// Cache wraps an organization's adapter in its cache, with the configured
// lifetimes.
func (a *Adapters) Cache(c polar.Client) *cache.Client {
	var obs cache.Observer
	if a.obs != nil {
		obs = a.obs
	}
	return cache.New(c, cache.Config{
		Observer:    obs,
		CustomerTTL: a.cfg.CustomerCacheTTL,
		CatalogTTL:  a.cfg.CatalogCacheTTL,
		BillingTTL:  a.cfg.BillingCacheTTL,
	})
}

// Merchant returns the cached adapter of the single merchant the
// configuration names: POLAR_ACCESS_TOKEN, or in demo mode the embedded
// fake Polar API's organization, served in memory (no network at all).
func (a *Adapters) Merchant() (*cache.Client, error) {
	env := connections.Environment(a.cfg.Environment)
	token, serverURL := a.cfg.AccessToken, a.cfg.ServerURL
	var client polar.HTTPDoer
	if a.cfg.Demo {
		fake, err := fakepolar.Demo(fakepolar.Options{})
		if err != nil {
			return nil, err
		}
		token, serverURL = fakepolar.DemoToken, demoServerURL
		client = &http.Client{Transport: inMemory{fake}}
	}
	sdk, err := a.sdk(env, token, a.Limiter(env), serverURL, client)
	if err != nil {
		return nil, err
	}
	return a.Cache(sdk), nil
}
