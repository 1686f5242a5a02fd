// Package config holds polar-mcp's settings as a plain struct. Loading them
// (flags, environment, polar-mcp.yaml) is cmd's job; everything below cmd
// takes a Config.
package config

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Config is everything polar-mcp needs to serve one Polar organization.
type Config struct {
	AccessToken   string // POLAR_ACCESS_TOKEN, an organization access token (polar_...)
	Environment   string // POLAR_ENVIRONMENT: production | sandbox
	ServerURL     string // POLAR_SERVER_URL: overrides the environment's URL (tests, proxies)
	APIVersion    string // POLAR_API_VERSION, sent as the Polar-Version header
	CustomerEmail string // POLAR_MCP_CUSTOMER_EMAIL: on stdio, act as this verified customer
	// CustomerExternalID is POLAR_MCP_CUSTOMER_EXTERNAL_ID: on stdio, act as
	// the customer with this Polar external id (the merchant's own user id);
	// may be combined with CustomerEmail.
	CustomerExternalID string
	// MemberExternalID is POLAR_MCP_MEMBER_EXTERNAL_ID: on stdio, act as
	// the member with this external id of the team customer
	// CustomerExternalID names (Polar's member model). Taken exactly.
	MemberExternalID string
	Role             string // POLAR_MCP_ROLE: customer | agent
	ReadOnly         bool   // POLAR_MCP_READ_ONLY: drop the tools that create portal sessions
	Demo             bool   // serve the embedded demo organization; no token, no network

	// Upstream frugality.
	RateLimit        int           // POLAR_MCP_RATE_LIMIT: Polar requests/minute for the organization; 0 = Polar's (500 production, 100 sandbox)
	RateHeadroom     float64       // POLAR_MCP_RATE_HEADROOM: fraction of the budget kept free, default 0.1
	CustomerCacheTTL time.Duration // POLAR_MCP_CACHE_CUSTOMER_TTL: email → customer, default 24h
	CatalogCacheTTL  time.Duration // POLAR_MCP_CACHE_CATALOG_TTL: products and benefit names, default 60s
	BillingCacheTTL  time.Duration // POLAR_MCP_CACHE_BILLING_TTL: subscriptions, orders, state; default 0, at most BillingTTLCap()

	// Hosted mode (polar-mcp http, polar-mcp token).
	Listen         string   // POLAR_MCP_LISTEN, e.g. 127.0.0.1:8080
	BaseURL        string   // POLAR_MCP_BASE_URL, the public URL clients use
	AllowedOrigins []string // POLAR_MCP_ALLOWED_ORIGINS, browser origins allowed (CORS)
	TokenSecret    string   // POLAR_MCP_TOKEN_SECRET, signs caller tokens (HS256), 32+ bytes

	// Many merchants (polar-mcp connections, and polar-mcp http under /c/).
	DatabaseURL   string        // POLAR_MCP_DATABASE_URL: SQLite file (default DefaultDatabaseURL) or postgres:// URL
	MasterKey     string        // POLAR_MCP_MASTER_KEY: "kid:base64key[,kid:base64key...]", encrypts tokens and secrets at rest
	MasterKeyFile string        // POLAR_MCP_MASTER_KEY_FILE: a file holding the same
	AdminKey      string        // POLAR_MCP_ADMIN_KEY: bearer key of the admin API, 32+ bytes; the API is off when empty
	TokenMaxTTL   time.Duration // POLAR_MCP_TOKEN_MAX_TTL: longest caller-token lifetime accepted; default 24h, > 0

	// Per-caller limits of the hosted endpoint (checked in limits.go).
	MaxConnections       int           // POLAR_MCP_MAX_CONNECTIONS: open connections to the listener; 0 = no cap (default)
	MaxStreamsPerCaller  int           // POLAR_MCP_MAX_STREAMS_PER_CALLER: concurrent SSE/GET streams per caller; default 10
	MaxSessionsPerCaller int           // POLAR_MCP_MAX_SESSIONS_PER_CALLER: live MCP sessions per caller; default 100
	SessionIdleTTL       time.Duration // POLAR_MCP_SESSION_IDLE_TTL: an idle session is dropped after this; default 10m
	CallsPerMinute       int           // POLAR_MCP_CALLS_PER_MINUTE: tool calls per caller per minute (token bucket rate); default 60
	CallBurst            int           // POLAR_MCP_CALL_BURST: tool calls a caller may make at once (bucket size); default 20
	BodyReadTimeout      time.Duration // POLAR_MCP_BODY_READ_TIMEOUT: longest time to read one request body; default 30s
	ExpectedInstances    int           // POLAR_MCP_EXPECTED_INSTANCES: replicas sharing the Polar budget, which each takes 1/n of while Redis is unreachable; default 1

	// Operations and integrations (checked in services.go).
	Locale        string // POLAR_MCP_LOCALE: BCP 47 tag for replies, canonicalized by Validate; default "en"
	LogLevel      string // POLAR_MCP_LOG_LEVEL: debug | info | warn | error; default info
	LogFormat     string // POLAR_MCP_LOG_FORMAT: json | text; "" = the command's default (text for stdio and the CLI, json for http)
	MetricsListen string // POLAR_MCP_METRICS_LISTEN: host:port serving metrics; "" = no metrics listener
	RedisURL      string // POLAR_MCP_REDIS_URL (or _FILE): redis:// or rediss:// URL of the shared rate budget and sessions; may hold a password
	WebhookSecret string // POLAR_MCP_WEBHOOK_SECRET (or _FILE): verifies Polar webhooks; with it, cached billing data may live up to MaxBillingTTLWithWebhooks
	OIDCIssuer    string // POLAR_MCP_OIDC_ISSUER: https URL of an OpenID provider whose ID tokens are accepted as caller tokens (http only for loopback)
	OIDCAudience  string // POLAR_MCP_OIDC_AUDIENCE: the aud those tokens must carry; required with OIDCIssuer
	OIDCRoleClaim string // POLAR_MCP_OIDC_ROLE_CLAIM: claim holding the caller's role; default "role"
}

// ValidateHosted checks the settings the hosted endpoint and the token
// command need, on top of Validate. Messages never include the secret.
func (c *Config) ValidateHosted() error {
	var errs []string
	switch n := len(c.TokenSecret); {
	case n == 0:
		errs = append(errs, "POLAR_MCP_TOKEN_SECRET is required: a random secret of at least 32 bytes that signs caller tokens (e.g. openssl rand -base64 48)")
	case n < MinTokenSecret:
		errs = append(errs, fmt.Sprintf("POLAR_MCP_TOKEN_SECRET is too short: %d bytes, need at least %d", n, MinTokenSecret))
	}
	errs = append(errs, c.limitErrs()...)
	return c.validateListener(errs)
}

// validateListener checks the listen address and base URL, setting their
// defaults, and returns errs with its own, joined.
func (c *Config) validateListener(errs []string) error {
	if c.Listen == "" {
		c.Listen = "127.0.0.1:8080"
	}
	if !validHostPort(c.Listen) {
		errs = append(errs, fmt.Sprintf("POLAR_MCP_LISTEN (--listen) must be host:port, e.g. 127.0.0.1:8080, not %q", c.Listen))
	}
	if c.MetricsListen != "" && sameListener(c.Listen, c.MetricsListen) {
		errs = append(errs, fmt.Sprintf("POLAR_MCP_METRICS_LISTEN (%s) must be another address than POLAR_MCP_LISTEN (%s): "+
			"metrics are served on a listener of their own, never the public one", c.MetricsListen, c.Listen))
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Listen
	}
	if _, err := ParseBaseURL(c.BaseURL); err != nil {
		errs = append(errs, "POLAR_MCP_BASE_URL must be scheme://host[:port], e.g. https://mcp.example.com")
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if len(errs) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(errs, "; "))
	}
	return nil
}

// ErrInvalid wraps every validation failure; the CLI exits with code 2.
var ErrInvalid = errors.New("invalid configuration")

// Validate checks the configuration before anything is served. Messages
// never include the token.
func (c *Config) Validate() error {
	return c.validate(true)
}

// validate is Validate; tokenRequired is false for a server that serves
// only the connections of its store.
func (c *Config) validate(tokenRequired bool) error {
	c.Environment = strings.ToLower(strings.TrimSpace(c.Environment))
	if c.Environment == "" {
		c.Environment = Production
	}
	if c.APIVersion == "" {
		c.APIVersion = DefaultAPIVersion
	}
	c.AccessToken = strings.TrimSpace(c.AccessToken)
	c.Role = strings.ToLower(strings.TrimSpace(c.Role))
	c.CustomerEmail = strings.TrimSpace(c.CustomerEmail)
	c.CustomerExternalID = strings.TrimSpace(c.CustomerExternalID)
	var errs []string
	if _, err := ParseEnvironment(c.Environment); err != nil {
		errs = append(errs, fmt.Sprintf("POLAR_ENVIRONMENT must be %q or %q, not %q", Production, Sandbox, c.Environment))
	}
	if !c.Demo {
		switch tok := strings.TrimSpace(c.AccessToken); {
		case tok == "" && !tokenRequired:
		case tok == "":
			errs = append(errs, "POLAR_ACCESS_TOKEN is required (an organization access token from Polar → Settings → General → Developers), or run with --demo")
		case CheckAccessToken(tok) != nil:
			errs = append(errs, "POLAR_ACCESS_TOKEN does not look like a Polar token: "+CheckAccessToken(tok).Error())
		}
	}
	if c.ServerURL != "" {
		if CheckServerURL(c.ServerURL) != nil {
			errs = append(errs, "POLAR_SERVER_URL must be an http(s) URL")
		}
	}
	if _, err := checkRole(c.Role); c.Role != "" && err != nil {
		errs = append(errs, fmt.Sprintf("POLAR_MCP_ROLE must be %q or %q, not %q", RoleCustomer, RoleAgent, c.Role))
	}
	if c.CustomerEmail != "" && CheckEmail(c.CustomerEmail) != nil {
		errs = append(errs, "POLAR_MCP_CUSTOMER_EMAIL is not a bare email address (no display name or angle brackets)")
	}
	if c.MemberExternalID != "" && c.CustomerExternalID == "" {
		errs = append(errs, "POLAR_MCP_MEMBER_EXTERNAL_ID names a member of the team POLAR_MCP_CUSTOMER_EXTERNAL_ID names, and needs it")
	}
	if c.MemberExternalID != "" && CheckExternalID(c.MemberExternalID) != nil {
		errs = append(errs, "POLAR_MCP_MEMBER_EXTERNAL_ID: "+ErrBadExternalID.Error())
	}
	if c.Role == RoleAgent && (c.CustomerEmail != "" || c.CustomerExternalID != "") {
		errs = append(errs, "POLAR_MCP_ROLE=agent takes no POLAR_MCP_CUSTOMER_EMAIL or POLAR_MCP_CUSTOMER_EXTERNAL_ID: "+
			"an agent names the customer in each tool call (the email argument); drop the role to act as that customer")
	}
	if c.Role == RoleCustomer && c.CustomerEmail == "" && c.CustomerExternalID == "" {
		errs = append(errs, "POLAR_MCP_ROLE=customer needs POLAR_MCP_CUSTOMER_EMAIL or POLAR_MCP_CUSTOMER_EXTERNAL_ID")
	}
	if c.RateLimit < 0 {
		errs = append(errs, "POLAR_MCP_RATE_LIMIT must be a positive number of requests per minute")
	}
	if c.RateHeadroom < 0 || c.RateHeadroom >= 1 {
		errs = append(errs, "POLAR_MCP_RATE_HEADROOM must be a fraction from 0 to below 1, e.g. 0.1")
	}
	errs = append(errs, c.cacheErrs()...)
	errs = append(errs, c.serviceErrs()...)
	errs = append(errs, c.limitErrs()...)
	if len(errs) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(errs, "; "))
	}
	return nil
}
