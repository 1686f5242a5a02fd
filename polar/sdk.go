package polar

// How SDKClient talks to Polar
//
// polar-go (v0.5.0) is generated from an older OpenAPI document than the
// API Polar serves today, and its strict models reject current responses:
// a "paused" subscription, a "subscription_meter_cycle" or "draft" order,
// a "seat_based" price or a "feature_flag" grant each fail the whole
// response. TestPolarGoDecodeLedger records which endpoints are affected.
//
// SDKClient therefore keeps polar-go for what it does well (building
// requests, authentication, server selection) and decodes every 2xx body
// itself, with the tolerant types of this package, from the very bytes
// polar-go received, so there is never a second request:
//
//  1. Each attempt of a call gets a fresh capture (capture.go), a plain
//     HTTP client, and a polar-go client built around it: nothing is
//     passed through the request context.
//  2. The capture sets the Polar-Version header and the query parameters
//     polar-go cannot express or names wrongly (visibility, customer_id;
//     see TestPolarGoQueryLedger), reads the whole response body into
//     memory, records status, headers and body, and hands polar-go a
//     fresh reader over the same bytes.
//  3. When the polar-go call returns, the capture alone decides the outcome:
//     a 2xx body is decoded with our types whether or not polar-go managed
//     to decode it; any other status is classified into an *Error. The
//     error polar-go returned is never shown (it may quote the body).
//
// polar-go's own retries are disabled; a 429 is retried at most once,
// here, when its Retry-After is short and fits the caller's deadline.
//
// Before each request, do takes a slot from the organization's
// RateLimiter (ratelimiter.go), and a 429 pauses it until its Retry-After.
// cache.Client (package polar/cache) caches and coalesces reads in front
// of all this.

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	polargo "github.com/polarsource/polar-go"
	"github.com/polarsource/polar-go/retry"

	"github.com/polar-mcp/polar-mcp/config"
)

// Defaults applied by New to a zero Config field.
const (
	DefaultTimeout      = 15 * time.Second
	DefaultMaxRetryWait = 5 * time.Second
)

// HTTPDoer sends HTTP requests; *http.Client is one.
type HTTPDoer interface {
	Do(req *http.Request) (*http.Response, error)
}

// Config configures New.
type Config struct {
	// AccessToken is the organization access token. Required.
	AccessToken string
	// Environment is "production" (the default) or "sandbox".
	Environment string
	// ServerURL, when set, overrides Environment (tests, proxies).
	ServerURL string
	// APIVersion is sent as the Polar-Version header on every request.
	APIVersion string
	// UserAgent, when set, is sent as the User-Agent header on every
	// request (see buildinfo.UserAgent); polar-go's own otherwise.
	UserAgent string
	// HTTPClient sends the requests; a plain *http.Client when nil. An
	// *http.Client is copied with a CheckRedirect that refuses redirects
	// to another scheme, host or port; any other HTTPDoer must not follow
	// such redirects itself (an answer from another server is refused,
	// but the request has left by then).
	HTTPClient HTTPDoer
	// Timeout bounds each upstream request.
	Timeout time.Duration
	// MaxRetryWait is the longest a call waits on a 429's Retry-After
	// before its single retry; it is always bounded by the ctx deadline.
	// A negative value disables the retry.
	MaxRetryWait time.Duration
	// Logger receives debug logs; discarded when nil.
	Logger *slog.Logger

	// RequestsPerMinute is the organization's Polar rate limit, for
	// RateBudget. Zero means the published limit of Environment
	// (production for a custom ServerURL); negative disables limiting.
	RequestsPerMinute int
	// Headroom is the fraction of RequestsPerMinute left unused (for
	// RateBudget), below 1. Zero means DefaultHeadroom; negative means
	// none.
	Headroom float64
	// Limiter paces this client's requests (share one RateLimiter among
	// all clients of an organization); nil means Unlimited.
	Limiter RateLimiter
	// Observer, when set, is told of every request and limiter decision.
	Observer Observer
}

// SDKClient is the Client backed by polar-go. It is safe for concurrent
// use.
type SDKClient struct {
	sdkOpts      []polargo.SDKOption // polar-go's options but its HTTP client (a capture per request)
	next         HTTPDoer            // sends the requests
	version      string              // Polar-Version
	userAgent    string              // replaces polar-go's when set
	token        string
	timeout      time.Duration
	maxRetryWait time.Duration
	log          *slog.Logger
	limiter      RateLimiter // Unlimited when none is given
	counters     sdkCounters
	obs          Observer
	env          string // config.Production or config.Sandbox
}

var _ Client = (*SDKClient)(nil)

// New returns a Client for the organization cfg.AccessToken belongs to.
func New(cfg Config) (*SDKClient, error) {
	if cfg.AccessToken == "" {
		return nil, errors.New("polar: an access token is required")
	}
	if !(cfg.Headroom < 1) {
		return nil, fmt.Errorf("polar: headroom %v is not below 1", cfg.Headroom)
	}
	opts := []polargo.SDKOption{
		polargo.WithSecurity(cfg.AccessToken),
		polargo.WithRetryConfig(retry.Config{Strategy: "none"}),
	}
	env := config.Production
	if strings.TrimSpace(cfg.Environment) != "" {
		var err error
		if env, err = config.ParseEnvironment(cfg.Environment); err != nil {
			return nil, fmt.Errorf("polar: %w", err)
		}
	}
	switch {
	case cfg.ServerURL != "":
		if err := config.CheckServerURL(cfg.ServerURL); err != nil {
			return nil, fmt.Errorf("polar: server URL %w", err)
		}
		opts = append(opts, polargo.WithServerURL(cfg.ServerURL))
	case env == config.Production:
		opts = append(opts, polargo.WithServer(polargo.ServerProduction))
	default:
		opts = append(opts, polargo.WithServer(polargo.ServerSandbox))
	}

	next := cfg.HTTPClient
	if next == nil {
		next = &http.Client{}
	}
	if hc, ok := next.(*http.Client); ok {
		next = sameServerOnly(hc)
	}
	version := cfg.APIVersion
	if version == "" {
		version = config.DefaultAPIVersion
	}
	c := &SDKClient{
		sdkOpts:      opts,
		next:         next,
		version:      version,
		userAgent:    cfg.UserAgent,
		token:        cfg.AccessToken,
		timeout:      cfg.Timeout,
		maxRetryWait: cfg.MaxRetryWait,
		log:          cfg.Logger,
		obs:          cfg.Observer,
		env:          env,
	}
	if c.obs == nil {
		c.obs = nopObserver{}
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.maxRetryWait == 0 {
		c.maxRetryWait = DefaultMaxRetryWait
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	c.limiter = cfg.Limiter
	if c.limiter == nil {
		c.limiter = Unlimited{}
	}
	return c, nil
}
