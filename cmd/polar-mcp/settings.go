package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/polar-mcp/polar-mcp/config"
)

// setting maps a configuration key to its environment variable, its
// config.Config field and, where it is safe to pass on a command line, its
// flag. The field's type decides how a value is parsed (settings_read.go).
type setting struct {
	key, env, flag, usage string
	field                 func(*config.Config) any // pointer to the field
	opts                  option
}

// option qualifies a setting.
type option uint8

const (
	// secret: never from argv (visible to every user of the machine).
	secret option = 1 << iota
	// fromFile: also read from the file named by ENV_FILE (key_file in the
	// config file), for secret managers; implies secret.
	fromFile
	// positive: an explicit value must be above zero (zero means default).
	positive
)

// has reports whether o includes every option of want.
func (o option) has(want option) bool { return o&want == want }

// settings lists every configuration key.
func settings() []setting {
	type c = config.Config
	return []setting{
		{"access_token", "POLAR_ACCESS_TOKEN", "", "", func(c *c) any { return &c.AccessToken }, fromFile},
		{"environment", "POLAR_ENVIRONMENT", "environment", "Polar environment: production or sandbox", func(c *c) any { return &c.Environment }, 0},
		{"server_url", "POLAR_SERVER_URL", "server-url", "override the Polar API URL (tests, proxies)", func(c *c) any { return &c.ServerURL }, 0},
		{"api_version", "POLAR_API_VERSION", "api-version", "Polar-Version header (default " + config.DefaultAPIVersion + ")", func(c *c) any { return &c.APIVersion }, 0},
		{"customer_email", "POLAR_MCP_CUSTOMER_EMAIL", "customer-email", "on stdio, act as this verified customer", func(c *c) any { return &c.CustomerEmail }, 0},
		{"customer_external_id", "POLAR_MCP_CUSTOMER_EXTERNAL_ID", "customer-external-id", "on stdio, act as the customer with this Polar external id", func(c *c) any { return &c.CustomerExternalID }, 0},
		{"member_external_id", "POLAR_MCP_MEMBER_EXTERNAL_ID", "member-external-id", "on stdio, act as the member with this external id of the team customer --customer-external-id names", func(c *c) any { return &c.MemberExternalID }, 0},
		{"role", "POLAR_MCP_ROLE", "role", "on stdio: customer or agent", func(c *c) any { return &c.Role }, 0},
		{"read_only", "POLAR_MCP_READ_ONLY", "read-only", "remove the tools that create portal sessions", func(c *c) any { return &c.ReadOnly }, 0},
		{"locale", "POLAR_MCP_LOCALE", "locale", "BCP 47 language tag of replies (default " + config.DefaultLocale + ")", func(c *c) any { return &c.Locale }, 0},
		{"rate_limit", "POLAR_MCP_RATE_LIMIT", "", "", func(c *c) any { return &c.RateLimit }, 0},
		{"rate_headroom", "POLAR_MCP_RATE_HEADROOM", "", "", func(c *c) any { return &c.RateHeadroom }, 0},
		{"cache_customer_ttl", "POLAR_MCP_CACHE_CUSTOMER_TTL", "", "", func(c *c) any { return &c.CustomerCacheTTL }, 0},
		{"cache_catalog_ttl", "POLAR_MCP_CACHE_CATALOG_TTL", "", "", func(c *c) any { return &c.CatalogCacheTTL }, 0},
		{"cache_billing_ttl", "POLAR_MCP_CACHE_BILLING_TTL", "", "", func(c *c) any { return &c.BillingCacheTTL }, 0},
		{"token_secret", "POLAR_MCP_TOKEN_SECRET", "", "", func(c *c) any { return &c.TokenSecret }, fromFile},
		{"token_max_ttl", "POLAR_MCP_TOKEN_MAX_TTL", "", "", func(c *c) any { return &c.TokenMaxTTL }, positive},
		{"listen", "POLAR_MCP_LISTEN", "", "", func(c *c) any { return &c.Listen }, 0},
		{"base_url", "POLAR_MCP_BASE_URL", "", "", func(c *c) any { return &c.BaseURL }, 0},
		{"allowed_origins", "POLAR_MCP_ALLOWED_ORIGINS", "", "", func(c *c) any { return &c.AllowedOrigins }, 0},
		{"database_url", "POLAR_MCP_DATABASE_URL", "", "", func(c *c) any { return &c.DatabaseURL }, fromFile},
		{"master_key", "POLAR_MCP_MASTER_KEY", "", "", func(c *c) any { return &c.MasterKey }, secret},
		{"master_key_file", "POLAR_MCP_MASTER_KEY_FILE", "", "", func(c *c) any { return &c.MasterKeyFile }, 0},
		{"admin_key", "POLAR_MCP_ADMIN_KEY", "", "", func(c *c) any { return &c.AdminKey }, fromFile},
		{"log_level", "POLAR_MCP_LOG_LEVEL", "", "", func(c *c) any { return &c.LogLevel }, 0},
		{"log_format", "POLAR_MCP_LOG_FORMAT", "", "", func(c *c) any { return &c.LogFormat }, 0},
		{"metrics_listen", "POLAR_MCP_METRICS_LISTEN", "", "", func(c *c) any { return &c.MetricsListen }, 0},
		{"redis_url", "POLAR_MCP_REDIS_URL", "", "", func(c *c) any { return &c.RedisURL }, fromFile},
		{"webhook_secret", "POLAR_MCP_WEBHOOK_SECRET", "", "", func(c *c) any { return &c.WebhookSecret }, fromFile},
		{"oidc_issuer", "POLAR_MCP_OIDC_ISSUER", "", "", func(c *c) any { return &c.OIDCIssuer }, 0},
		{"oidc_audience", "POLAR_MCP_OIDC_AUDIENCE", "", "", func(c *c) any { return &c.OIDCAudience }, 0},
		{"oidc_role_claim", "POLAR_MCP_OIDC_ROLE_CLAIM", "", "", func(c *c) any { return &c.OIDCRoleClaim }, 0},
		{"max_connections", "POLAR_MCP_MAX_CONNECTIONS", "", "", func(c *c) any { return &c.MaxConnections }, 0},
		{"max_streams_per_caller", "POLAR_MCP_MAX_STREAMS_PER_CALLER", "", "", func(c *c) any { return &c.MaxStreamsPerCaller }, positive},
		{"max_sessions_per_caller", "POLAR_MCP_MAX_SESSIONS_PER_CALLER", "", "", func(c *c) any { return &c.MaxSessionsPerCaller }, positive},
		{"session_idle_ttl", "POLAR_MCP_SESSION_IDLE_TTL", "", "", func(c *c) any { return &c.SessionIdleTTL }, positive},
		{"calls_per_minute", "POLAR_MCP_CALLS_PER_MINUTE", "", "", func(c *c) any { return &c.CallsPerMinute }, positive},
		{"call_burst", "POLAR_MCP_CALL_BURST", "", "", func(c *c) any { return &c.CallBurst }, positive},
		{"body_read_timeout", "POLAR_MCP_BODY_READ_TIMEOUT", "", "", func(c *c) any { return &c.BodyReadTimeout }, positive},
		{"expected_instances", "POLAR_MCP_EXPECTED_INSTANCES", "", "", func(c *c) any { return &c.ExpectedInstances }, positive},
	}
}

// addConfigFlags declares the persistent flags every command shares.
// Boolean flags accept the same spellings as the environment (parseBool).
func addConfigFlags(cmd *cobra.Command) {
	f := cmd.PersistentFlags()
	f.String("config", "", "config file (default: ./polar-mcp.yaml, then $HOME/.config/polar-mcp/polar-mcp.yaml)")
	addBoolFlag(f, "demo", "serve the embedded demo organization: no token, no network")
	for _, s := range settings() {
		switch {
		case s.flag == "":
		case isBool(s):
			addBoolFlag(f, s.flag, s.usage)
		default:
			f.String(s.flag, "", s.usage)
		}
	}
}

// isBool reports whether s holds a boolean.
func isBool(s setting) bool {
	_, ok := s.field(&config.Config{}).(*bool)
	return ok
}

// flagName is the flag bound to s: its persistent flag, or a command's own
// flag named after the key (listen → --listen); "" for secrets.
func flagName(s setting) string {
	switch {
	case s.opts.has(secret) || s.opts.has(fromFile):
		return "" // secrets (a database URL may hold a password) never come from argv
	case s.flag != "":
		return s.flag
	}
	return strings.ReplaceAll(s.key, "_", "-")
}
