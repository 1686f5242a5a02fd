// Package hosted serves polar-mcp over HTTP: the legacy SSE transport at
// /sse (protocol 2024-11-05 clients), the Streamable HTTP transport at /mcp
// (2025-03-26 through 2025-11-25, and the stateless 2026-07-28 revision that
// mcp-go detects per request), health and readiness probes, and RFC 9728
// protected resource metadata, all on one handler.
//
// Every MCP request must carry "Authorization: Bearer <token>", a token from
// package auth. It is verified before mcp-go sees the request, and the
// caller it names is put in the request's context, which is the context
// mcp-go hands to tool handlers (for SSE, the context of the POST carrying
// the call, not of the stream). Identity never comes from session state:
// session ids are only bound to the caller who opened them, so a stream or
// session opened by one caller cannot be used by another.
package hosted

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/config"
)

// DefaultKeepAlive is the SSE ping interval when Config.KeepAlive is zero:
// under the 60s idle timeout of common proxies and load balancers.
const DefaultKeepAlive = 25 * time.Second

// maxBodyBytes bounds an MCP request body.
const maxBodyBytes = 1 << 20

// Config is what the hosted endpoint needs. It is plain data: the caller
// reads configuration and passes it in.
type Config struct {
	// BaseURL is the public URL clients reach the server at, scheme and
	// host only, e.g. "https://mcp.example.com". It names the protected
	// resource in 401 responses and metadata. Required.
	BaseURL string
	// Resolve resolves each request's connection once: its token secret
	// and the collaborators bound to its context. Static builds one from
	// POLAR_MCP_TOKEN_SECRET for single-merchant mode. Required.
	Resolve ResolveFunc
	// Issuer, when not nil, also accepts tokens signed with RS256, ES256
	// or EdDSA by this OpenID Connect issuer (HS256 tokens still go to
	// the connection's secret), and is listed in the protected resource
	// metadata. Without it, 401 challenges do not point at the metadata,
	// which then names no authorization server. Not with PerConnection:
	// a connection's callers are the ones its own secret signs for.
	Issuer Issuer
	// Relay, when set, carries legacy-SSE message POSTs that reach a
	// replica not holding their stream to the one that does, so SSE needs
	// no sticky sessions (see Relay). Run serves the other side.
	Relay Relay
	// PerConnection serves the MCP endpoints at /c/{connection}/sse,
	// /c/{connection}/message and /c/{connection}/mcp instead of at the
	// root, and requires every token's aud to be that connection id.
	PerConnection bool
	// AllowedOrigins are the browser origins ("https://app.example.com")
	// allowed to call the MCP endpoints; "*" allows any. A request whose
	// Origin header is neither listed nor BaseURL's own origin is refused
	// with 403. Requests without an Origin header (server-side clients)
	// are not affected. CORS headers are sent to listed origins.
	AllowedOrigins []string
	// MaxTokenTTL is the longest caller-token lifetime accepted (exp
	// ahead of now); auth.DefaultMaxTTL when zero.
	MaxTokenTTL time.Duration
	// KeepAlive is the interval of the pings that keep idle SSE streams
	// open through proxies; DefaultKeepAlive when zero.
	KeepAlive time.Duration
	// Ready reports whether the server can answer (configuration loaded,
	// Polar adapter built). /readyz answers 503 with its error, which is
	// shown to whoever asks and so must hold no secret. Nil means ready.
	Ready func(ctx context.Context) error
	// ReadyDetails, when set, adds its value to /readyz answers as
	// "details": with full false, what anyone may see (no secret, no
	// customer data, no connection or organization id); with full true,
	// what ReadyFull's callers and Readiness's listener see.
	ReadyDetails func(ctx context.Context, full bool) any
	// ReadyFull, when set, reports whether a /readyz request may see the
	// full details (the admin key); nil: none may on this listener.
	ReadyFull func(r *http.Request) bool
	// MaxStreamsPerCaller caps the SSE streams (GET /sse and GET /mcp) one
	// caller holds open at once; beyond it, 429 with Retry-After.
	// config.DefaultMaxStreamsPerCaller when zero.
	MaxStreamsPerCaller int
	// MaxSessionsPerCaller caps one caller's live Streamable HTTP
	// sessions; an initialize beyond it gets 429 with Retry-After.
	// config.DefaultMaxSessionsPerCaller when zero.
	MaxSessionsPerCaller int
	// SessionIdleTTL is how long the Streamable HTTP transport keeps the
	// state of a session nobody uses (clients rarely end sessions with
	// DELETE); it then stops counting against MaxSessionsPerCaller. Its
	// id stays valid, as it is checked without state.
	// config.DefaultSessionIdleTTL when zero.
	SessionIdleTTL time.Duration
	// SessionMaxAge is how long a Streamable HTTP session id is accepted
	// after initialize; an older one gets 404, on which clients open a new
	// session. It also bounds how long ended sessions are remembered.
	// DefaultSessionMaxAge when zero.
	SessionMaxAge time.Duration
	// BodyReadTimeout bounds the reading of a POST body; SSE streams have
	// no read deadline. config.DefaultBodyReadTimeout when zero.
	BodyReadTimeout time.Duration
	// Logger receives refusals and transport errors; slog.Default() when
	// nil. Tokens and secrets are never logged.
	Logger *slog.Logger
}

// Handler is the hosted endpoint. Serve it with an http.Server whose
// WriteTimeout is zero (SSE streams are long-lived), and call Shutdown
// before the server's own Shutdown.
type Handler struct {
	cfg        Config
	base       *url.URL
	origins    origins
	log        *slog.Logger
	mux        *http.ServeMux
	sse        *server.SSEServer
	streamable *server.StreamableHTTPServer
	drain      *drain
	streams    *counter      // open SSE streams per caller
	bodies     *counter      // POST bodies being read per caller
	sessions   *sessionTable // live Streamable HTTP sessions per caller
	ended      *endedSessions
	srv        *server.MCPServer
}

// New builds the handler around mcp, the server built by tools.NewServer.
func New(cfg Config, mcp *server.MCPServer) (*Handler, error) {
	if mcp == nil {
		return nil, errors.New("hosted: nil MCP server")
	}
	if cfg.Resolve == nil {
		return nil, errors.New("hosted: Config.Resolve is required")
	}
	if cfg.Issuer != nil && cfg.PerConnection {
		return nil, errors.New("hosted: an OpenID Connect issuer is not supported with per-connection endpoints")
	}
	base, err := config.ParseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	allowed, err := parseOrigins(cfg.AllowedOrigins, base)
	if err != nil {
		return nil, err
	}
	cfg = withDefaults(cfg)
	h := &Handler{
		cfg:      cfg,
		base:     base,
		origins:  allowed,
		log:      cfg.Logger,
		mux:      http.NewServeMux(),
		drain:    newDrain(),
		streams:  newCounter(),
		bodies:   newCounter(),
		sessions: newSessionTable(cfg.MaxSessionsPerCaller),
		ended:    newEndedSessions(maxEndedSessions),
		srv:      mcp,
	}
	if h.log == nil {
		h.log = slog.Default()
	}

	// DNS rebinding protection is applied by guard, which also accepts
	// BaseURL's host so that a reverse proxy on the same machine works.
	sseOpts := []server.SSEOption{
		server.WithKeepAlive(true),
		server.WithKeepAliveInterval(cfg.KeepAlive),
		server.WithSessionIDGenerator(h.newSSESessionID),
		server.WithDynamicBasePath(ssePrefix),
		server.WithSSEDisableLocalhostProtection(true),
	}
	httpOpts := []server.StreamableHTTPOption{
		server.WithHeartbeatInterval(cfg.KeepAlive),
		server.WithSessionIdManagerResolver(sessionResolver{table: h.sessions}),
		server.WithSessionIdleTTL(cfg.SessionIdleTTL),
		server.WithStreamableHTTPLogger(slog.New(sessionRedactor{h.log.Handler()})),
		server.WithDisableLocalhostProtection(true),
	}
	if cors := allowed.cors(); cors != nil {
		sseOpts = append(sseOpts, server.WithSSECORS(cors...))
		httpOpts = append(httpOpts, server.WithStreamableHTTPCORS(cors...))
	}
	h.sse = server.NewSSEServer(mcp, sseOpts...)
	h.streamable = server.NewStreamableHTTPServer(mcp, httpOpts...)
	h.routes()
	return h, nil
}

func (h *Handler) routes() {
	prefix := ""
	if h.cfg.PerConnection {
		prefix = "/c/{connection}"
	}
	h.mux.Handle(prefix+"/sse", h.guard(routeStream, h.sse.SSEHandler()))
	h.mux.Handle(prefix+"/message", h.guard(routeMessage, h.sse.MessageHandler()))
	h.mux.Handle(prefix+"/mcp", h.guard(routeStreamable, h.streamable))
	h.mux.HandleFunc("GET /healthz", h.healthz)
	h.mux.HandleFunc("GET /readyz", h.readyz)
	h.mux.HandleFunc("GET "+server.WellKnownProtectedResourcePath+prefix, h.resourceMetadata)
	h.sharedSecretRoutes()
}

// ServeHTTP implements http.Handler. Every refusal closes the connection
// (see refusing).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mux.ServeHTTP(&refusing{ResponseWriter: w}, r)
}

// withDefaults fills in the zero fields of cfg.
func withDefaults(cfg Config) Config {
	for _, d := range []struct {
		v   *time.Duration
		def time.Duration
	}{{&cfg.KeepAlive, DefaultKeepAlive}, {&cfg.SessionIdleTTL, config.DefaultSessionIdleTTL},
		{&cfg.BodyReadTimeout, config.DefaultBodyReadTimeout}, {&cfg.SessionMaxAge, DefaultSessionMaxAge}} {
		if *d.v <= 0 {
			*d.v = d.def
		}
	}
	if cfg.MaxStreamsPerCaller <= 0 {
		cfg.MaxStreamsPerCaller = config.DefaultMaxStreamsPerCaller
	}
	if cfg.MaxSessionsPerCaller <= 0 {
		cfg.MaxSessionsPerCaller = config.DefaultMaxSessionsPerCaller
	}
	return cfg
}

// Shutdown stops taking new MCP requests (they get 503, and /readyz turns
// 503), waits for the calls in flight to finish and their responses to be
// written, SSE included, then closes every SSE and Streamable HTTP stream.
// If ctx ends first the streams are closed anyway and ctx's error is
// returned. Call it before http.Server.Shutdown, which then has only idle
// connections left to close.
func (h *Handler) Shutdown(ctx context.Context) error {
	err := h.drain.wait(ctx)
	h.sse.CloseSessions()
	if serr := h.streamable.Shutdown(ctx); err == nil {
		err = serr
	}
	return err
}

// resource is the protected resource a request addresses: BaseURL, or
// BaseURL/c/{connection} in per-connection mode.
func (h *Handler) resource(connection string) string {
	if connection == "" {
		return h.base.String()
	}
	return h.base.String() + "/c/" + connection
}

// metadataURL is where the protected resource metadata of a resource is.
func (h *Handler) metadataURL(connection string) string {
	return h.base.String() + server.ProtectedResourceMetadataPath(h.resource(connection))
}

// ssePrefix is the path the SSE message endpoint is advertised under.
func ssePrefix(r *http.Request, _ string) string {
	if c := r.PathValue("connection"); c != "" {
		return "/c/" + c
	}
	return "/"
}
