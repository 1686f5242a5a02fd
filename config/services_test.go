package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// validSvc is a valid single-merchant configuration; tests change one field.
func validSvc() Config { return Config{AccessToken: "polar_oat_x"} }

func TestValidateNewSettingsDefaults(t *testing.T) {
	c := validSvc()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	got := []any{c.Locale, c.LogLevel, c.LogFormat, c.OIDCRoleClaim, c.TokenMaxTTL, c.MaxConnections,
		c.MaxStreamsPerCaller, c.MaxSessionsPerCaller, c.SessionIdleTTL, c.CallsPerMinute, c.CallBurst,
		c.BodyReadTimeout, c.ExpectedInstances}
	want := []any{"en", "info", "", "role", 24 * time.Hour, 0, 10, 100, 10 * time.Minute, 60, 20, 30 * time.Second, 1}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("default #%d = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestValidateNewSettings(t *testing.T) {
	const redisPass = "hunter2-redis-pass"
	cases := []struct {
		name    string
		edit    func(*Config)
		wantErr string // "" = valid
	}{
		{"locale canonicalized", func(c *Config) { c.Locale = "pt-br" }, ""},
		{"locale not a tag", func(c *Config) { c.Locale = "english please" }, "POLAR_MCP_LOCALE"},
		{"log level any case", func(c *Config) { c.LogLevel = "DEBUG" }, ""},
		{"log level unknown", func(c *Config) { c.LogLevel = "verbose" }, "POLAR_MCP_LOG_LEVEL"},
		{"log format json", func(c *Config) { c.LogFormat = "json" }, ""},
		{"log format unknown", func(c *Config) { c.LogFormat = "xml" }, "POLAR_MCP_LOG_FORMAT"},
		{"metrics listen", func(c *Config) { c.MetricsListen = "127.0.0.1:9090" }, ""},
		{"metrics without port", func(c *Config) { c.MetricsListen = "127.0.0.1" }, "POLAR_MCP_METRICS_LISTEN"},
		{"metrics port out of range", func(c *Config) { c.MetricsListen = ":70000" }, "POLAR_MCP_METRICS_LISTEN"},
		{"redis", func(c *Config) { c.RedisURL = "rediss://:" + redisPass + "@redis.example.com:6379/0" }, ""},
		{"redis wrong scheme", func(c *Config) { c.RedisURL = "http://:" + redisPass + "@redis.example.com" }, "POLAR_MCP_REDIS_URL"},
		{"redis unparsable", func(c *Config) { c.RedisURL = "redis://:" + redisPass + "@[bad" }, "POLAR_MCP_REDIS_URL"},
		{"oidc", func(c *Config) { c.OIDCIssuer, c.OIDCAudience = "https://accounts.example.com", "client-1" }, ""},
		{"oidc loopback http", func(c *Config) { c.OIDCIssuer, c.OIDCAudience = "http://127.0.0.1:5556/dex", "client-1" }, ""},
		{"oidc localhost http", func(c *Config) { c.OIDCIssuer, c.OIDCAudience = "http://localhost:5556", "client-1" }, ""},
		{"oidc remote http", func(c *Config) { c.OIDCIssuer, c.OIDCAudience = "http://accounts.example.com", "client-1" }, "must use https"},
		{"oidc without audience", func(c *Config) { c.OIDCIssuer = "https://accounts.example.com" }, "POLAR_MCP_OIDC_AUDIENCE is required"},
		{"oidc audience alone", func(c *Config) { c.OIDCAudience = "client-1" }, "POLAR_MCP_OIDC_ISSUER is not"},
		{"oidc query", func(c *Config) { c.OIDCIssuer, c.OIDCAudience = "https://a.example.com?x=1", "c" }, "POLAR_MCP_OIDC_ISSUER"},
		{"external id as customer", func(c *Config) { c.Role, c.CustomerExternalID = "customer", "user_42" }, ""},
		{"external id with control char", func(c *Config) { c.CustomerExternalID = "user\x00" }, "POLAR_MCP_CUSTOMER_EXTERNAL_ID"},
		{"negative token ttl", func(c *Config) { c.TokenMaxTTL = -time.Second }, "POLAR_MCP_TOKEN_MAX_TTL"},
		{"negative connections", func(c *Config) { c.MaxConnections = -1 }, "POLAR_MCP_MAX_CONNECTIONS"},
		{"negative burst", func(c *Config) { c.CallBurst = -1 }, "POLAR_MCP_CALL_BURST"},
		{"negative instances", func(c *Config) { c.ExpectedInstances = -2 }, "POLAR_MCP_EXPECTED_INSTANCES"},
		{"negative session ttl", func(c *Config) { c.SessionIdleTTL = -time.Minute }, "POLAR_MCP_SESSION_IDLE_TTL"},
		{"negative cache ttl", func(c *Config) { c.CatalogCacheTTL = -time.Minute }, "POLAR_MCP_CACHE_CATALOG_TTL"},
		{"billing ttl 5s", func(c *Config) { c.BillingCacheTTL = MaxBillingTTL }, ""},
		{"billing ttl 6s without webhooks", func(c *Config) { c.BillingCacheTTL = 6 * time.Second }, "at most 5s without POLAR_MCP_WEBHOOK_SECRET"},
		{"billing ttl 1h with webhooks", func(c *Config) { c.BillingCacheTTL, c.WebhookSecret = time.Hour, "whsec" }, ""},
		{"billing ttl 2h with webhooks", func(c *Config) { c.BillingCacheTTL, c.WebhookSecret = 2*time.Hour, "whsec" }, "at most 1h0m0s, even with webhooks"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := validSvc()
			tc.edit(&c)
			err := c.Validate()
			if strings.Contains(errString(err), redisPass) {
				t.Fatal("the Redis password was echoed")
			}
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Validate() = %v, want ErrInvalid containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestLocaleCanonical(t *testing.T) {
	c := validSvc()
	c.Locale = "PT-br"
	if err := c.Validate(); err != nil || c.Locale != "pt-BR" {
		t.Fatalf("locale %q, err %v", c.Locale, err)
	}
}

func TestTokenCommandGetsTokenMaxTTLDefault(t *testing.T) {
	c := Config{TokenSecret: strings.Repeat("s", 32)}
	if err := c.ValidateHosted(); err != nil || c.TokenMaxTTL != DefaultTokenMaxTTL {
		t.Fatalf("TokenMaxTTL %v, err %v", c.TokenMaxTTL, err)
	}
}

// A billing TTL over 5s needs webhooks: the single merchant's secret, or a
// connection store whose connections keep secrets of their own.
func TestBillingTTLCapNeedsWebhooksOrConnections(t *testing.T) {
	for _, c := range []struct {
		name string
		cfg  Config
		want time.Duration
	}{
		{"neither", Config{}, MaxBillingTTL},
		{"webhook secret", Config{WebhookSecret: "whsec"}, MaxBillingTTLWithWebhooks},
		{"connection store", Config{MasterKey: "k1:x"}, MaxBillingTTLWithWebhooks},
	} {
		if got := c.cfg.BillingTTLCap(); got != c.want {
			t.Errorf("%s: cap %v, want %v", c.name, got, c.want)
		}
	}
}
