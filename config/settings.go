package config

import "strings"

// Setting maps a configuration key (the config file's) to its environment
// variable, its Config field and, where it is safe to pass on a command
// line, its flag. The field's type decides how a value is parsed.
type Setting struct {
	Key, Env, Flag, Usage string
	Field                 func(*Config) any // pointer to the field
	Opts                  Option
}

// Option qualifies a setting.
type Option uint8

const (
	// Secret settings are never read from argv (visible to every user of
	// the machine).
	Secret Option = 1 << iota
	// FromFile settings are also read from the file named by ENV_FILE
	// (key_file in the config file), for secret managers; implies Secret.
	FromFile
	// Positive settings need an explicit value above zero (zero means
	// the default).
	Positive
)

// Has reports whether o includes every option of want.
func (o Option) Has(want Option) bool { return o&want == want }

// Settings lists every configuration key.
func Settings() []Setting {
	type c = Config
	return []Setting{
		{"access_token", "POLAR_ACCESS_TOKEN", "", "", func(c *c) any { return &c.AccessToken }, FromFile},
		{"environment", "POLAR_ENVIRONMENT", "environment", "Polar environment: production or sandbox", func(c *c) any { return &c.Environment }, 0},
		{"server_url", "POLAR_SERVER_URL", "server-url", "override the Polar API URL (tests, proxies)", func(c *c) any { return &c.ServerURL }, 0},
		{"api_version", "POLAR_API_VERSION", "api-version", "Polar-Version header (default " + DefaultAPIVersion + ")", func(c *c) any { return &c.APIVersion }, 0},
		{"customer_email", "POLAR_MCP_CUSTOMER_EMAIL", "customer-email", "on stdio, act as this verified customer", func(c *c) any { return &c.CustomerEmail }, 0},
		{"customer_external_id", "POLAR_MCP_CUSTOMER_EXTERNAL_ID", "customer-external-id", "on stdio, act as the customer with this Polar external id", func(c *c) any { return &c.CustomerExternalID }, 0},
		{"member_external_id", "POLAR_MCP_MEMBER_EXTERNAL_ID", "member-external-id", "on stdio, act as the member with this external id of the team customer --customer-external-id names", func(c *c) any { return &c.MemberExternalID }, 0},
		{"role", "POLAR_MCP_ROLE", "role", "on stdio: customer or agent", func(c *c) any { return &c.Role }, 0},
		{"read_only", "POLAR_MCP_READ_ONLY", "read-only", "remove the tools that create portal sessions", func(c *c) any { return &c.ReadOnly }, 0},
		{"locale", "POLAR_MCP_LOCALE", "locale", "BCP 47 language tag of replies (default " + DefaultLocale + ")", func(c *c) any { return &c.Locale }, 0},
		{"rate_limit", "POLAR_MCP_RATE_LIMIT", "", "", func(c *c) any { return &c.RateLimit }, 0},
		{"rate_headroom", "POLAR_MCP_RATE_HEADROOM", "", "", func(c *c) any { return &c.RateHeadroom }, 0},
		{"cache_customer_ttl", "POLAR_MCP_CACHE_CUSTOMER_TTL", "", "", func(c *c) any { return &c.CustomerCacheTTL }, 0},
		{"cache_catalog_ttl", "POLAR_MCP_CACHE_CATALOG_TTL", "", "", func(c *c) any { return &c.CatalogCacheTTL }, 0},
		{"cache_billing_ttl", "POLAR_MCP_CACHE_BILLING_TTL", "", "", func(c *c) any { return &c.BillingCacheTTL }, 0},
		{"token_secret", "POLAR_MCP_TOKEN_SECRET", "", "", func(c *c) any { return &c.TokenSecret }, FromFile},
		{"token_max_ttl", "POLAR_MCP_TOKEN_MAX_TTL", "", "", func(c *c) any { return &c.TokenMaxTTL }, Positive},
		{"listen", "POLAR_MCP_LISTEN", "", "", func(c *c) any { return &c.Listen }, 0},
		{"base_url", "POLAR_MCP_BASE_URL", "", "", func(c *c) any { return &c.BaseURL }, 0},
		{"allowed_origins", "POLAR_MCP_ALLOWED_ORIGINS", "", "", func(c *c) any { return &c.AllowedOrigins }, 0},
		{"database_url", "POLAR_MCP_DATABASE_URL", "", "", func(c *c) any { return &c.DatabaseURL }, FromFile},
		{"master_key", "POLAR_MCP_MASTER_KEY", "", "", func(c *c) any { return &c.MasterKey }, Secret},
		{"master_key_file", "POLAR_MCP_MASTER_KEY_FILE", "", "", func(c *c) any { return &c.MasterKeyFile }, 0},
		{"admin_key", "POLAR_MCP_ADMIN_KEY", "", "", func(c *c) any { return &c.AdminKey }, FromFile},
		{"log_level", "POLAR_MCP_LOG_LEVEL", "", "", func(c *c) any { return &c.LogLevel }, 0},
		{"log_format", "POLAR_MCP_LOG_FORMAT", "", "", func(c *c) any { return &c.LogFormat }, 0},
		{"metrics_listen", "POLAR_MCP_METRICS_LISTEN", "", "", func(c *c) any { return &c.MetricsListen }, 0},
		{"redis_url", "POLAR_MCP_REDIS_URL", "", "", func(c *c) any { return &c.RedisURL }, FromFile},
		{"webhook_secret", "POLAR_MCP_WEBHOOK_SECRET", "", "", func(c *c) any { return &c.WebhookSecret }, FromFile},
		{"oidc_issuer", "POLAR_MCP_OIDC_ISSUER", "", "", func(c *c) any { return &c.OIDCIssuer }, 0},
		{"oidc_audience", "POLAR_MCP_OIDC_AUDIENCE", "", "", func(c *c) any { return &c.OIDCAudience }, 0},
		{"oidc_role_claim", "POLAR_MCP_OIDC_ROLE_CLAIM", "", "", func(c *c) any { return &c.OIDCRoleClaim }, 0},
		{"max_connections", "POLAR_MCP_MAX_CONNECTIONS", "", "", func(c *c) any { return &c.MaxConnections }, 0},
		{"max_streams_per_caller", "POLAR_MCP_MAX_STREAMS_PER_CALLER", "", "", func(c *c) any { return &c.MaxStreamsPerCaller }, Positive},
		{"max_sessions_per_caller", "POLAR_MCP_MAX_SESSIONS_PER_CALLER", "", "", func(c *c) any { return &c.MaxSessionsPerCaller }, Positive},
		{"session_idle_ttl", "POLAR_MCP_SESSION_IDLE_TTL", "", "", func(c *c) any { return &c.SessionIdleTTL }, Positive},
		{"calls_per_minute", "POLAR_MCP_CALLS_PER_MINUTE", "", "", func(c *c) any { return &c.CallsPerMinute }, Positive},
		{"call_burst", "POLAR_MCP_CALL_BURST", "", "", func(c *c) any { return &c.CallBurst }, Positive},
		{"body_read_timeout", "POLAR_MCP_BODY_READ_TIMEOUT", "", "", func(c *c) any { return &c.BodyReadTimeout }, Positive},
		{"expected_instances", "POLAR_MCP_EXPECTED_INSTANCES", "", "", func(c *c) any { return &c.ExpectedInstances }, Positive},
	}
}

// IsBool reports whether s holds a boolean.
func (s Setting) IsBool() bool {
	_, ok := s.Field(&Config{}).(*bool)
	return ok
}

// FlagName is the flag bound to s: its persistent flag, or a command's own
// flag named after the key (listen → --listen); "" for secrets, which
// never come from argv (a database URL may hold a password).
func (s Setting) FlagName() string {
	switch {
	case s.Opts.Has(Secret) || s.Opts.Has(FromFile):
		return ""
	case s.Flag != "":
		return s.Flag
	}
	return strings.ReplaceAll(s.Key, "_", "-")
}
