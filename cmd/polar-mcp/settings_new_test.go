package main

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestNewSettingsFromEnvAndFlags(t *testing.T) {
	isolateSettings(t)
	env := map[string]string{
		"POLAR_ACCESS_TOKEN":                "polar_oat_x",
		"POLAR_MCP_TOKEN_SECRET":            strings.Repeat("k", 40),
		"POLAR_MCP_TOKEN_MAX_TTL":           "2h",
		"POLAR_MCP_CUSTOMER_EXTERNAL_ID":    "env-user",
		"POLAR_MCP_LOCALE":                  "fr",
		"POLAR_MCP_LOG_LEVEL":               "warn",
		"POLAR_MCP_LOG_FORMAT":              "json",
		"POLAR_MCP_METRICS_LISTEN":          "127.0.0.1:9090",
		"POLAR_MCP_REDIS_URL":               "redis://127.0.0.1:6379/0",
		"POLAR_MCP_WEBHOOK_SECRET":          "whsec_x",
		"POLAR_MCP_OIDC_ISSUER":             "https://accounts.example.com",
		"POLAR_MCP_OIDC_AUDIENCE":           "client-1",
		"POLAR_MCP_OIDC_ROLE_CLAIM":         "polar_role",
		"POLAR_MCP_MAX_CONNECTIONS":         "500",
		"POLAR_MCP_MAX_STREAMS_PER_CALLER":  "3",
		"POLAR_MCP_MAX_SESSIONS_PER_CALLER": "7",
		"POLAR_MCP_SESSION_IDLE_TTL":        "90s",
		"POLAR_MCP_CALLS_PER_MINUTE":        "120",
		"POLAR_MCP_CALL_BURST":              "5",
		"POLAR_MCP_BODY_READ_TIMEOUT":       "15s",
		"POLAR_MCP_EXPECTED_INSTANCES":      "4",
		"POLAR_MCP_CACHE_BILLING_TTL":       "30m", // allowed: a webhook secret is set
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	cfg, err := readSettings(t, "--customer-external-id", "flag-user", "--locale", "de-ch")
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.ValidateServer(); err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(cfg.TokenMaxTTL, cfg.CustomerExternalID, cfg.Locale, cfg.LogLevel, cfg.LogFormat, cfg.MetricsListen,
		cfg.RedisURL, cfg.WebhookSecret, cfg.OIDCIssuer, cfg.OIDCAudience, cfg.OIDCRoleClaim, cfg.MaxConnections,
		cfg.MaxStreamsPerCaller, cfg.MaxSessionsPerCaller, cfg.SessionIdleTTL, cfg.CallsPerMinute, cfg.CallBurst,
		cfg.BodyReadTimeout, cfg.ExpectedInstances, cfg.BillingCacheTTL)
	want := fmt.Sprint(2*time.Hour, "flag-user", "de-CH", "warn", "json", "127.0.0.1:9090",
		"redis://127.0.0.1:6379/0", "whsec_x", "https://accounts.example.com", "client-1", "polar_role", 500,
		3, 7, 90*time.Second, 120, 5, 15*time.Second, 4, 30*time.Minute)
	if got != want {
		t.Errorf("settings\n got %s\nwant %s", got, want)
	}
}

func TestBillingTTLCapDependsOnWebhookSecret(t *testing.T) {
	isolateSettings(t)
	t.Setenv("POLAR_MCP_CACHE_BILLING_TTL", "30m")
	code, _, stderr := runStdio(t)
	if code != exitUsage || !strings.Contains(stderr, "POLAR_MCP_CACHE_BILLING_TTL is at most 5s without POLAR_MCP_WEBHOOK_SECRET") {
		t.Fatalf("exit %d stderr %q", code, stderr)
	}
}

func TestCustomerExternalIDIsACustomerIdentity(t *testing.T) {
	isolateSettings(t)
	t.Setenv("POLAR_ACCESS_TOKEN", "polar_oat_x")
	t.Setenv("POLAR_MCP_ROLE", "customer")
	cfg, err := readSettings(t, "--customer-external-id", "user_42")
	if err == nil {
		err = cfg.Validate()
	}
	if err != nil || cfg.CustomerExternalID != "user_42" {
		t.Fatalf("external id %q err %v", cfg.CustomerExternalID, err)
	}
}
