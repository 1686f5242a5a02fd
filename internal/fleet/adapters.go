package fleet

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"sync"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/buildinfo"
	"github.com/polar-mcp/polar-mcp/internal/tenants"
	"github.com/polar-mcp/polar-mcp/internal/tenants/connections"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
)

// Observer is told of the adapters' requests and the caches' reads
// (package observe's Observer is one).
type Observer interface {
	polar.Observer
	cache.Observer
}

// Upstream is where the single merchant's requests go instead of Polar:
// the demo organization's API, served in memory.
type Upstream struct {
	Token, ServerURL string
	Client           polar.HTTPDoer
}

// Adapters builds every Polar adapter of one server from the operator's
// settings: the server URL, API version, User-Agent, rate budget and
// cache lifetimes. It is the one place that decides which adapter an
// organization gets.
//
// Every adapter of one Polar organization, the single merchant's and each
// connection's, shares one rate budget: in this process, or with a Fleet
// on Redis, across every instance.
type Adapters struct {
	cfg   config.Config
	log   *slog.Logger
	obs   Observer       // nil: not observed
	demo  *Upstream      // nil: the single merchant is served by Polar
	fleet *Fleet         // nil: no webhooks, budgets in this process
	local *processBudget // the budgets without a Fleet on Redis

	mu       sync.Mutex
	limiters map[string]polar.RateLimiter // environment + organization -> its limiter
}

// NewAdapters returns the builder for cfg (validated), with budgets kept
// in this process. demo, when not nil, serves the single merchant
// instead of Polar (--demo).
func NewAdapters(cfg config.Config, log *slog.Logger, demo *Upstream) *Adapters {
	return &Adapters{cfg: cfg, log: log, demo: demo, local: newProcessBudget(), limiters: map[string]polar.RateLimiter{}}
}

// Observed makes a's adapters and caches report to obs (metrics and
// traces), and returns a.
func (a *Adapters) Observed(obs Observer) *Adapters {
	a.obs = obs
	return a
}

// WithFleet makes a's budgets and invalidations go through f, and returns
// a. Call it before any adapter is built.
func (a *Adapters) WithFleet(f *Fleet) *Adapters {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.fleet = f
	a.limiters = map[string]polar.RateLimiter{}
	return a
}

// perMinute is the budget of an organization in env: own (a
// connection's own limit) when set, else the configured
// POLAR_MCP_RATE_LIMIT, or Polar's published limit for env (whatever
// server URL serves it), less the headroom; 0 when limiting is off.
func (a *Adapters) perMinute(env connections.Environment, own int) int {
	limit := a.cfg.RateLimit
	if own > 0 && limit >= 0 {
		limit = own
	}
	return polar.RateBudget(polar.Config{
		Environment:       string(env),
		RequestsPerMinute: limit,
		Headroom:          a.cfg.RateHeadroom,
	})
}

// Limiter returns the rate limiter of Polar organization org in env, the
// same for every caller: shared through Redis with a Fleet that has it,
// in this process otherwise, a hard ceiling over any 60 s either way.
// org "" (not known yet) gets a limiter of its own. own is a connection's
// own budget (0: the server's): the organization is paced at the lowest
// budget any of its connections asks for. With POLAR_MCP_RATE_LIMIT < 0
// it is polar.Unlimited, which never waits.
func (a *Adapters) Limiter(env connections.Environment, org string, own int) polar.RateLimiter {
	perMinute := a.perMinute(env, own)
	if perMinute == 0 {
		return polar.Unlimited{}
	}
	if org == "" {
		return ownLimiter(perMinute)
	}
	key := string(env) + "\x00" + org
	a.mu.Lock()
	defer a.mu.Unlock()
	if l := a.limiters[key]; l != nil {
		_, limits := a.budget()
		limits.lower(org, perMinute)
		return l
	}
	budget, limits := a.budget()
	limits.lower(org, perMinute)
	l := NewLimiter(budget, org, 0)
	a.limiters[key] = l
	return l
}

// budget returns the budget organizations are paced by, shared through a
// Fleet on Redis or this process's, and their limits.
func (a *Adapters) budget() (Budget, *orgLimits) {
	if a.fleet != nil && a.fleet.budget != nil {
		return a.fleet.budget, &a.fleet.limits
	}
	return a.local, &a.local.orgLimits
}

// adoptLimiter returns the limiter the single merchant moves to once its
// organization is known, having sent spent requests meanwhile: they are
// booked in the organization's budget (in this process or shared), so
// that no window sees them uncounted.
func (a *Adapters) adoptLimiter(ctx context.Context, env connections.Environment, org string, spent uint64) polar.RateLimiter {
	l := a.Limiter(env, org, 0)
	if a.perMinute(env, 0) == 0 {
		return l
	}
	budget, _ := a.budget()
	for range spent {
		if s, err := budget.Reserve(ctx, org, 0); err != nil || !s.OK {
			break // the window is full already: nothing more can be booked
		}
	}
	return l
}

// SDK returns the uncached adapter for token in env, paced by limiter
// (shared by every adapter of the same organization). It is the
// tenants.AdapterFunc of the connection store.
func (a *Adapters) SDK(env connections.Environment, token string, limiter polar.RateLimiter) (tenants.Adapter, error) {
	return a.sdk(env, token, limiter, a.cfg.ServerURL, nil)
}

// Service is the connections' lifecycle service over store, its adapters
// and limiters built here; live is the router of a running server, nil
// for the CLI.
func (a *Adapters) Service(store tenants.Store, live tenants.Live, log *slog.Logger) (*tenants.Service, error) {
	return tenants.NewService(tenants.ServiceConfig{Store: store, NewAdapter: a.SDK, NewLimiter: a.Limiter, Live: live, Logger: log})
}

func (a *Adapters) sdk(env connections.Environment, token string, limiter polar.RateLimiter, serverURL string, client polar.HTTPDoer) (*polar.SDKClient, error) {
	var obs polar.Observer
	if a.obs != nil {
		obs = a.obs
	}
	return polar.New(polar.Config{
		Observer:    obs,
		AccessToken: token,
		Environment: string(env),
		ServerURL:   serverURL,
		APIVersion:  a.cfg.APIVersion,
		UserAgent:   buildinfo.UserAgent(),
		HTTPClient:  client,
		Logger:      a.log,
		Limiter:     limiter,
	})
}

// Cache wraps an organization's adapter in its cache, with the configured
// lifetimes. webhooks says Polar's webhooks reach it (a secret is set):
// billing answers may then be kept up to an hour, as long as deliveries
// keep arriving (Fleet, WebhooksStaleAfter).
func (a *Adapters) Cache(c polar.Client, webhooks bool, fresh func() bool) *cache.Client {
	cfg := cache.Config{
		CustomerTTL: a.cfg.CustomerCacheTTL,
		CatalogTTL:  a.cfg.CatalogCacheTTL,
		BillingTTL:  a.cfg.BillingCacheTTL,
	}
	if webhooks && a.fleet != nil {
		cfg.Invalidated, cfg.Fresh = true, fresh
	}
	if a.obs != nil {
		cfg.Observer = a.obs
	}
	return cache.New(c, cfg)
}

// ConnectionCache is the tenants.RouterConfig.NewCache of the server:
// the connection's cache, reached by its organization's invalidations.
func (a *Adapters) ConnectionCache(c polar.Client, conn connections.Connection) *cache.Client {
	org := conn.Organization.ID
	if a.fleet == nil {
		return a.Cache(c, false, nil)
	}
	cc := a.Cache(c, conn.WebhookSecretSet && org != "", func() bool { return a.fleet.Fresh(org) })
	a.fleet.Register(org, conn.ID, cc, conn.WebhookSecretSet)
	return cc
}

// Merchant returns the cached adapter of the single merchant the
// configuration names: POLAR_ACCESS_TOKEN, or in demo mode the Upstream
// NewAdapters was given (no network at all).
// Its organization is learned later (LearnOrganization); until then it has
// a rate limiter of its own.
func (a *Adapters) Merchant() (*Merchant, error) {
	env := connections.Environment(a.cfg.Environment)
	token, serverURL := a.cfg.AccessToken, a.cfg.ServerURL
	var client polar.HTTPDoer
	if a.demo != nil {
		token, serverURL, client = a.demo.Token, a.demo.ServerURL, a.demo.Client
	}
	m := &Merchant{a: a, env: env}
	m.limiter.set(a.firstLimiter(env, token))
	sdk, err := a.sdk(env, token, &m.limiter, serverURL, client)
	if err != nil {
		return nil, err
	}
	m.sdk = sdk
	m.Client = a.Cache(sdk, a.cfg.WebhookSecret != "", func() bool { return a.fleet.Fresh(m.Org()) })
	return m, nil
}

// firstLimiter paces the single merchant until its organization is
// known. With Redis, every replica with the same token shares one budget
// (and its 429 pauses) keyed by a digest of the token, never the token:
// the organization's whole budget, or each replica's share of it while
// Redis is away. Without Redis, this process's own.
func (a *Adapters) firstLimiter(env connections.Environment, token string) polar.RateLimiter {
	perMinute := a.perMinute(env, 0)
	if perMinute == 0 {
		return polar.Unlimited{}
	}
	if a.fleet != nil && a.fleet.Shared() {
		return a.Limiter(env, tokenBudgetKey(token), 0)
	}
	return ownLimiter(perMinute)
}

// tokenBudgetKey names the budget replicas with the same token share
// until their organization is known: a digest, so that the token is in
// no Redis key.
func tokenBudgetKey(token string) string {
	sum := sha256.Sum256([]byte("polar-mcp token budget\x00" + token))
	return "token-" + hex.EncodeToString(sum[:16])
}
