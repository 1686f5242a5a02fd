package polarmcp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/fleet"
	"github.com/polar-mcp/polar-mcp/internal/hosted"
	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/observe"
	"github.com/polar-mcp/polar-mcp/internal/panel"
	"github.com/polar-mcp/polar-mcp/internal/tenants"
	"github.com/polar-mcp/polar-mcp/internal/tenants/admin"
	"github.com/polar-mcp/polar-mcp/internal/tenants/connections"
	"github.com/polar-mcp/polar-mcp/internal/webhooks"
	"github.com/polar-mcp/polar-mcp/tools"
)

// sweepInterval is how often the server drops the adapters of connections
// removed or disabled elsewhere that nobody has called since.
const sweepInterval = time.Minute

// Endpoint is everything polar-mcp http serves on one port: the single
// merchant at the root, the merchants' connections under /c/, and the
// admin API under /admin/connections, each when configured.
type Endpoint struct {
	mux    *http.ServeMux
	root   *hosted.Handler // nil without a single merchant
	conns  *hosted.Handler // nil without a store
	store  *connections.Store
	router *tenants.Router
	tel    *observe.Telemetry // nil: not observed
	serve  http.Handler       // mux, observed by tel
	opts   options
	// quit ends the agent panel's event streams at Shutdown.
	quit    context.Context
	quitNow context.CancelFunc

	fleet    *fleet.Fleet
	merchant *fleet.Merchant   // nil without a single merchant
	hooks    *webhooks.Handler // both webhook paths
	learn    bool              // probe the single merchant's organization (Redis, webhooks or connections)
	probe    bool              // else ReportReachable asks a real Polar once at start
	admin    *admin.API        // nil without an admin key
}

// NewEndpoint builds the endpoint cfg (validated with ValidateServer)
// describes, with the agent panel at /agent/ and /c/{id}/agent/; it is
// observed when WithTelemetry says by what.
func NewEndpoint(ctx context.Context, cfg config.Config, log *slog.Logger, opts ...Option) (*Endpoint, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	tel := o.tel
	fl, err := fleet.NewFleet(cfg, log)
	if err != nil {
		return nil, err
	}
	adapters, err := NewAdapters(cfg, log)
	if err != nil {
		return nil, errors.Join(err, fl.Close())
	}
	adapters.WithFleet(fl)
	if tel != nil {
		adapters = adapters.Observed(tel.Observer)
	}
	e := &Endpoint{mux: http.NewServeMux(), tel: tel, fleet: fl, opts: o}
	e.quit, e.quitNow = context.WithCancel(context.Background())
	if cfg.SingleMerchant() || !cfg.MultiMerchant() {
		if err := e.serveMerchant(cfg, adapters, log); err != nil {
			return nil, err
		}
	}
	if cfg.OIDCIssuer != "" && e.root == nil {
		return nil, fmt.Errorf("%w: POLAR_MCP_OIDC_ISSUER applies to the single merchant's endpoint (POLAR_ACCESS_TOKEN): "+
			"connections under /c/ accept only tokens signed with their own secret", config.ErrInvalid)
	}
	if cfg.MultiMerchant() {
		if err := e.serveConnections(ctx, cfg, adapters, log); err != nil {
			return nil, err
		}
	}
	if e.hooks, err = e.newWebhooks(cfg.WebhookSecret, log); err != nil {
		return nil, errors.Join(err, e.Close())
	}
	e.mux.Handle(WebhookPath, e.hooks)
	e.mux.Handle(ConnectionWebhookPath, e.hooks)
	if e.root != nil {
		e.mux.Handle("/", e.root)
	} else {
		e.mux.Handle("/", e.conns) // health, readiness; /mcp and /sse are 404
	}
	// Every route, not only the MCP endpoints, gets the body deadline
	// and bound, and closes the connection on a refusal.
	e.serve = hosted.Edge(e.mux, cfg.BodyReadTimeout)
	if tel != nil {
		tel.Observer.Metrics().WatchDraining(e.Draining)
		tel.Observer.Metrics().WatchDegraded("redis_unreachable", e.fleet.Degraded)
		tel.Observer.Metrics().WatchDegraded("organization_unknown", e.orgUnknown)
		e.serve = tel.Observer.HTTP(e.serve)
	}
	return e, nil
}

// serveMerchant serves the single merchant at the root.
func (e *Endpoint) serveMerchant(cfg config.Config, adapters *fleet.Adapters, log *slog.Logger) error {
	client, err := adapters.Merchant()
	if err != nil {
		return err
	}
	e.merchant = client
	e.learn = cfg.RedisURL != "" || cfg.WebhookSecret != "" || cfg.MultiMerchant()
	e.probe = !e.learn && !cfg.Demo
	// Reached by the single merchant's own webhooks before its
	// organization is known (and by nothing else until then).
	e.fleet.Register("", "", client.Client, cfg.WebhookSecret != "")
	bind := func(ctx context.Context) context.Context { return tools.WithClient(ctx, client) }
	resolve, err := hosted.Static([]byte(cfg.TokenSecret), bind)
	if err != nil {
		return fmt.Errorf("%w: POLAR_MCP_TOKEN_SECRET: %v", config.ErrInvalid, err)
	}
	hc := e.hostedConfig(cfg, resolve, false, log)
	if cfg.OIDCIssuer != "" {
		issuer, err := identity.NewIssuer(identity.IssuerConfig{URL: cfg.OIDCIssuer, Audience: cfg.OIDCAudience, RoleClaim: cfg.OIDCRoleClaim})
		if err != nil {
			return fmt.Errorf("%w: POLAR_MCP_OIDC_ISSUER: %v", config.ErrInvalid, err)
		}
		hc.Issuer = issuer
	}
	limit := callLimit(e.fleet, cfg)
	srv := NewToolsServer(cfg, log, e.tel, limit)
	if e.root, err = hosted.New(hc, srv); err != nil {
		return originErr(err)
	}
	e.agentPanel("", e.root, srv, limit, cfg.AllowedOrigins, cfg.WebhookSecret != "")
	return nil
}

// serveConnections opens the store and serves its connections under /c/,
// and the admin API when an admin key is set. Each request's connection
// is resolved once, at the edge: its secret verifies the token, and its
// adapter is bound to the request for the tools.
func (e *Endpoint) serveConnections(ctx context.Context, cfg config.Config, adapters *fleet.Adapters, log *slog.Logger) error {
	store, err := connections.OpenConfigured(ctx, cfg)
	if err != nil {
		return err
	}
	e.store = store
	e.router, err = tenants.NewRouter(tenants.RouterConfig{
		Store:      store,
		NewAdapter: adapters.SDK,
		NewLimiter: adapters.Limiter,
		NewCache:   adapters.ConnectionCache,
		Logger:     log,
	})
	if err != nil {
		return errors.Join(err, store.Close())
	}
	resolve := func(ctx context.Context, id string) (hosted.Connection, error) {
		secret, client, err := e.router.Resolve(ctx, id)
		if errors.Is(err, tenants.ErrUnknownConnection) {
			err = &identity.Error{Kind: identity.KindUnknownAudience} // answered 404
		}
		storeError(e.tel, "resolve", err)
		bind := func(ctx context.Context) context.Context { return tools.WithClient(ctx, client) }
		return hosted.Connection{Secret: secret, Bind: bind}, err
	}
	limit := callLimit(e.fleet, cfg)
	srv := NewToolsServer(cfg, log, e.tel, limit)
	e.conns, err = hosted.New(e.hostedConfig(cfg, resolve, true, log), srv)
	if err != nil {
		return errors.Join(originErr(err), store.Close())
	}
	e.agentPanel("/c/{connection}", e.conns, srv, limit, cfg.AllowedOrigins, true)
	e.mux.Handle("/c/", e.conns)
	e.mux.Handle(server.WellKnownProtectedResourcePath+"/c/", e.conns)
	if cfg.AdminKey == "" {
		return nil
	}
	svc, err := adapters.Service(store, e.router, log)
	if err != nil {
		return errors.Join(err, store.Close())
	}
	api, err := admin.New(svc, cfg.AdminKey, log)
	if err != nil {
		return errors.Join(fmt.Errorf("%w: POLAR_MCP_ADMIN_KEY: %v", config.ErrInvalid, err), store.Close())
	}
	e.admin = api
	e.mux.Handle(admin.Path, api)
	e.mux.Handle(admin.Path+"/", api)
	return nil
}

// agentPanel mounts the agent panel under prefix, its live updates from
// the fleet's changes when Polar's webhooks are configured (live).
func (e *Endpoint) agentPanel(prefix string, h *hosted.Handler, srv *server.MCPServer, limit server.ToolHandlerMiddleware,
	frameAncestors []string, live bool) {
	m := panel.Mount{Mux: e.mux, Prefix: prefix, Auth: h, Server: srv, Limit: limit, FrameAncestors: frameAncestors, Quit: e.quit}
	if live && e.fleet != nil {
		m.Changes = e.fleet
	}
	m.Handle()
}

// hostedConfig maps cfg to a hosted endpoint's settings.
func (e *Endpoint) hostedConfig(cfg config.Config, resolve hosted.ResolveFunc, perConnection bool, log *slog.Logger) hosted.Config {
	return hosted.Config{
		ReadyDetails:   e.readyDetails,
		ReadyFull:      e.readyFull,
		BaseURL:        cfg.BaseURL,
		Resolve:        resolve,
		Relay:          relay(e.fleet, log),
		PerConnection:  perConnection,
		AllowedOrigins: cfg.AllowedOrigins,
		MaxTokenTTL:    cfg.TokenMaxTTL,
		Logger:         log,

		MaxStreamsPerCaller:  cfg.MaxStreamsPerCaller,
		MaxSessionsPerCaller: cfg.MaxSessionsPerCaller,
		SessionIdleTTL:       cfg.SessionIdleTTL,
		BodyReadTimeout:      cfg.BodyReadTimeout,
	}
}

// orgUnknown reports whether the single merchant's organization is not
// known yet: its budget is then shared by token digest, and its webhooks
// reach its own cache only, kept at most the short billing cap.
func (e *Endpoint) orgUnknown() bool { return e.merchant != nil && e.learn && e.merchant.Org() == "" }

// readyFull reports whether a /readyz request carries the admin key:
// only then does it list the connections and organizations served.
func (e *Endpoint) readyFull(r *http.Request) bool {
	return e.admin != nil && e.admin.Authorized(r)
}

// Readiness is /readyz with every detail, for the metrics listener.
func (e *Endpoint) Readiness() http.Handler {
	if e.root != nil {
		return e.root.Readiness()
	}
	return e.conns.Readiness()
}

// callLimit is the per-caller tool-call budget of the hosted endpoint:
// one bucket per caller for the whole fleet through Redis, this process's
// own while Redis is away or not configured.
func callLimit(f *fleet.Fleet, cfg config.Config) server.ToolHandlerMiddleware {
	local := hosted.NewCallBuckets(cfg.CallsPerMinute, cfg.CallBurst)
	if local == nil || !f.Shared() {
		return hosted.LimitCalls(local)
	}
	return hosted.LimitCalls(f.Calls(cfg.CallsPerMinute, cfg.CallBurst, local))
}

// relay is f's relay of legacy-SSE message POSTs, nil without Redis.
func relay(f *fleet.Fleet, log *slog.Logger) hosted.Relay {
	if r := f.Relay(log); r != nil {
		return r
	}
	return nil
}

// ServeHTTP implements http.Handler.
func (e *Endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) { e.serve.ServeHTTP(w, r) }

// Draining reports whether Shutdown has begun: new requests are refused.
func (e *Endpoint) Draining() bool {
	for _, h := range []*hosted.Handler{e.root, e.conns} {
		if h != nil && h.Draining() {
			return true
		}
	}
	return false
}

// Run does the endpoint's background work until ctx ends: sweeping
// dropped connections, applying invalidations, processing webhooks and
// learning the single merchant's organization.
func (e *Endpoint) Run(ctx context.Context) {
	go e.fleet.Run(ctx)
	go e.hooks.Run(ctx)
	for _, h := range []*hosted.Handler{e.root, e.conns} {
		if h != nil {
			go h.Run(ctx)
		}
	}
	if e.merchant != nil && e.learn {
		go e.merchant.LearnOrganization(ctx)
	}
	if e.router != nil {
		e.router.Run(ctx, sweepInterval)
	}
	<-ctx.Done()
}

// ReportReachable asks the single merchant's Polar once and logs where it
// was asked and why it could not answer (fleet.Merchant.ReportReachable),
// when nothing else at start does: not for the demo, and not when Run's
// organization probe (LearnOrganization) names it. ServeHTTP runs it
// before listening, so the log names an unreachable Polar before the
// first call, and tests counting Polar's requests count from a settled
// start.
func (e *Endpoint) ReportReachable(ctx context.Context) {
	if e.merchant != nil && e.probe {
		e.merchant.ReportReachable(ctx, fleet.ReachBeforeListening)
	}
}

// Changes is the subscription API of live views (the agent panel): it
// signals customers whose Polar data changed, from any instance's
// webhooks.
func (e *Endpoint) Changes() fleet.Changes { return e.fleet }

// Shutdown drains both hosted handlers (see hosted.Handler.Shutdown).
func (e *Endpoint) Shutdown(ctx context.Context) error {
	e.quitNow()
	var errs []error
	for _, h := range []*hosted.Handler{e.root, e.conns} {
		if h != nil {
			errs = append(errs, h.Shutdown(ctx))
		}
	}
	return errors.Join(errs...)
}

// Close closes the store and the Redis client, after Shutdown.
func (e *Endpoint) Close() error {
	var errs []error
	if e.store != nil {
		errs = append(errs, e.store.Close())
	}
	return errors.Join(append(errs, e.fleet.Close())...)
}

// originErr marks a malformed POLAR_MCP_ALLOWED_ORIGINS entry as the
// configuration error it is (exit 2, like every other bad setting).
func originErr(err error) error {
	if errors.Is(err, hosted.ErrInvalidOrigin) {
		return fmt.Errorf("%w: POLAR_MCP_ALLOWED_ORIGINS: %v", config.ErrInvalid, err)
	}
	return err
}
