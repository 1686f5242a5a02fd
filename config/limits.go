package config

import (
	"fmt"
	"time"
)

// Caps of POLAR_MCP_CACHE_BILLING_TTL. Without
// webhooks nothing tells the server that a customer changed their plan in
// the portal, so cached billing data must expire almost at once; with a
// webhook secret, Polar's events invalidate it and it may live longer.
const (
	MaxBillingTTL             = 5 * time.Second
	MaxBillingTTLWithWebhooks = time.Hour
)

// MinTokenSecret is the shortest caller-token signing secret accepted
// (POLAR_MCP_TOKEN_SECRET, a connection's secret), in bytes.
const MinTokenSecret = 32

// Defaults of the per-caller limits, the caller-token lifetime and the
// hosted endpoint's timing, used when a field is zero (here and by the
// packages that take these settings).
const (
	DefaultTokenMaxTTL          = 24 * time.Hour
	DefaultMaxStreamsPerCaller  = 10
	DefaultMaxSessionsPerCaller = 100
	DefaultSessionIdleTTL       = 10 * time.Minute
	DefaultCallsPerMinute       = 60
	DefaultCallBurst            = 20
	DefaultBodyReadTimeout      = 30 * time.Second
	DefaultExpectedInstances    = 1
)

// BillingTTLCap is the longest BillingCacheTTL accepted: MaxBillingTTL, or
// MaxBillingTTLWithWebhooks when a webhook secret is configured or a
// connection store is (connections store webhook secrets of their own).
// Each organization's cache still keeps billing data that long only while
// its webhooks arrive, and at most MaxBillingTTL otherwise.
func (c Config) BillingTTLCap() time.Duration {
	if c.WebhookSecret != "" || c.MultiMerchant() {
		return MaxBillingTTLWithWebhooks
	}
	return MaxBillingTTL
}

// cacheErrs checks the cache lifetimes.
func (c *Config) cacheErrs() []string {
	var errs []string
	for _, d := range []struct {
		env string
		ttl time.Duration
	}{
		{"POLAR_MCP_CACHE_CUSTOMER_TTL", c.CustomerCacheTTL},
		{"POLAR_MCP_CACHE_CATALOG_TTL", c.CatalogCacheTTL},
		{"POLAR_MCP_CACHE_BILLING_TTL", c.BillingCacheTTL},
	} {
		if d.ttl < 0 {
			errs = append(errs, d.env+" must not be negative")
		}
	}
	switch limit := c.BillingTTLCap(); {
	case c.BillingCacheTTL <= limit:
	case c.WebhookSecret == "":
		errs = append(errs, fmt.Sprintf("POLAR_MCP_CACHE_BILLING_TTL is at most %v without POLAR_MCP_WEBHOOK_SECRET: "+
			"customers must not see a stale subscription after acting in the portal (with webhooks, up to %v)", limit, MaxBillingTTLWithWebhooks))
	default:
		errs = append(errs, fmt.Sprintf("POLAR_MCP_CACHE_BILLING_TTL is at most %v, even with webhooks", limit))
	}
	return errs
}

// limitErrs defaults the zero per-caller limits and the token lifetime,
// and checks them.
func (c *Config) limitErrs() []string {
	defaultDuration(&c.TokenMaxTTL, DefaultTokenMaxTTL)
	defaultDuration(&c.SessionIdleTTL, DefaultSessionIdleTTL)
	defaultDuration(&c.BodyReadTimeout, DefaultBodyReadTimeout)
	defaultInt(&c.MaxStreamsPerCaller, DefaultMaxStreamsPerCaller)
	defaultInt(&c.MaxSessionsPerCaller, DefaultMaxSessionsPerCaller)
	defaultInt(&c.CallsPerMinute, DefaultCallsPerMinute)
	defaultInt(&c.CallBurst, DefaultCallBurst)
	defaultInt(&c.ExpectedInstances, DefaultExpectedInstances)
	var errs []string
	for _, d := range []struct {
		env string
		v   time.Duration
	}{
		{"POLAR_MCP_TOKEN_MAX_TTL", c.TokenMaxTTL},
		{"POLAR_MCP_SESSION_IDLE_TTL", c.SessionIdleTTL},
		{"POLAR_MCP_BODY_READ_TIMEOUT", c.BodyReadTimeout},
	} {
		if d.v < 0 {
			errs = append(errs, d.env+" must be a positive duration, e.g. 30s")
		}
	}
	if c.MaxConnections < 0 {
		errs = append(errs, "POLAR_MCP_MAX_CONNECTIONS must be 0 (no cap) or a positive number of connections")
	}
	for _, n := range []struct {
		env string
		v   int
	}{
		{"POLAR_MCP_MAX_STREAMS_PER_CALLER", c.MaxStreamsPerCaller},
		{"POLAR_MCP_MAX_SESSIONS_PER_CALLER", c.MaxSessionsPerCaller},
		{"POLAR_MCP_CALLS_PER_MINUTE", c.CallsPerMinute},
		{"POLAR_MCP_CALL_BURST", c.CallBurst},
		{"POLAR_MCP_EXPECTED_INSTANCES", c.ExpectedInstances},
	} {
		if n.v < 0 {
			errs = append(errs, n.env+" must be a positive number")
		}
	}
	return errs
}

func defaultDuration(d *time.Duration, def time.Duration) {
	if *d == 0 {
		*d = def
	}
}

func defaultInt(n *int, def int) {
	if *n == 0 {
		*n = def
	}
}
