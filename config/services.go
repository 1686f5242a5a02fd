package config

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/text/language"
)

// Log levels and formats.
const (
	LogDebug = "debug"
	LogInfo  = "info"
	LogWarn  = "warn"
	LogError = "error"
	LogJSON  = "json"
	LogText  = "text"
)

// DefaultLocale is the reply language when POLAR_MCP_LOCALE is not set.
const DefaultLocale = "en"

// DefaultOIDCRoleClaim is the ID-token claim read for the caller's role.
const DefaultOIDCRoleClaim = "role"

// serviceErrs normalizes and checks the locale, logging, metrics, Redis,
// webhook, OIDC and external-id settings. Messages never include the Redis
// URL or the webhook secret.
func (c *Config) serviceErrs() []string {
	var errs []string
	if c.CustomerExternalID != "" && CheckExternalID(c.CustomerExternalID) != nil {
		errs = append(errs, "POLAR_MCP_CUSTOMER_EXTERNAL_ID: "+ErrBadExternalID.Error())
	}
	c.Locale = strings.TrimSpace(c.Locale)
	if c.Locale == "" {
		c.Locale = DefaultLocale
	}
	if tag, err := language.Parse(c.Locale); err != nil {
		errs = append(errs, fmt.Sprintf("POLAR_MCP_LOCALE must be a BCP 47 language tag such as en, de or pt-BR, not %q", c.Locale))
	} else {
		c.Locale = tag.String()
	}
	c.LogLevel = strings.ToLower(strings.TrimSpace(c.LogLevel))
	switch c.LogLevel {
	case "":
		c.LogLevel = LogInfo
	case LogDebug, LogInfo, LogWarn, LogError:
	default:
		errs = append(errs, fmt.Sprintf("POLAR_MCP_LOG_LEVEL must be debug, info, warn or error, not %q", c.LogLevel))
	}
	c.LogFormat = strings.ToLower(strings.TrimSpace(c.LogFormat))
	switch c.LogFormat {
	case "", LogJSON, LogText:
	default:
		errs = append(errs, fmt.Sprintf("POLAR_MCP_LOG_FORMAT must be json or text, not %q", c.LogFormat))
	}
	if c.MetricsListen = strings.TrimSpace(c.MetricsListen); c.MetricsListen != "" && !validHostPort(c.MetricsListen) {
		errs = append(errs, fmt.Sprintf("POLAR_MCP_METRICS_LISTEN must be host:port, e.g. 127.0.0.1:9090, not %q", c.MetricsListen))
	}
	if c.RedisURL = strings.TrimSpace(c.RedisURL); c.RedisURL != "" {
		if u, err := url.Parse(c.RedisURL); err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Host == "" {
			errs = append(errs, "POLAR_MCP_REDIS_URL must be a redis:// or rediss:// URL with a host, "+
				"e.g. rediss://:password@redis.example.com:6379/0 (the value is not shown: it may hold a password)")
		}
	}
	c.WebhookSecret = strings.TrimSpace(c.WebhookSecret)
	return append(errs, c.oidcErrs()...)
}

// oidcErrs checks the OpenID Connect settings.
func (c *Config) oidcErrs() []string {
	c.OIDCIssuer = strings.TrimSpace(c.OIDCIssuer)
	c.OIDCAudience = strings.TrimSpace(c.OIDCAudience)
	c.OIDCRoleClaim = strings.TrimSpace(c.OIDCRoleClaim)
	if c.OIDCRoleClaim == "" {
		c.OIDCRoleClaim = DefaultOIDCRoleClaim
	}
	if c.OIDCIssuer == "" {
		if c.OIDCAudience != "" {
			return []string{"POLAR_MCP_OIDC_AUDIENCE is set but POLAR_MCP_OIDC_ISSUER is not"}
		}
		return nil
	}
	var errs []string
	u, err := url.Parse(c.OIDCIssuer)
	switch {
	case err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil:
		errs = append(errs, "POLAR_MCP_OIDC_ISSUER must be an https URL without credentials, query or fragment, e.g. https://accounts.example.com")
	case u.Scheme == "https":
	case u.Scheme == "http" && loopback(u.Hostname()):
	default:
		errs = append(errs, "POLAR_MCP_OIDC_ISSUER must use https (http only for a loopback host, in tests)")
	}
	if c.OIDCAudience == "" {
		errs = append(errs, "POLAR_MCP_OIDC_AUDIENCE is required with POLAR_MCP_OIDC_ISSUER: the client id the ID tokens are issued to")
	}
	return errs
}

// loopback reports whether host is localhost or a loopback address.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// validHostPort reports whether s is host:port with a port from 0 to 65535.
// sameListener reports whether two host:port listen addresses would
// claim the same socket: the same port (not 0, which picks a free one),
// and the same host or either host a wildcard ("", 0.0.0.0, ::), which
// binds every address.
func sameListener(a, b string) bool {
	ha, pa, errA := net.SplitHostPort(a)
	hb, pb, errB := net.SplitHostPort(b)
	if errA != nil || errB != nil {
		return false
	}
	na, errA := strconv.ParseUint(pa, 10, 16)
	nb, errB := strconv.ParseUint(pb, 10, 16)
	if errA != nil || errB != nil || na == 0 || na != nb {
		return false
	}
	wild := func(h string) bool { return h == "" || h == "0.0.0.0" || h == "::" }
	loop := func(h string) string {
		if strings.EqualFold(h, "localhost") {
			return "127.0.0.1"
		}
		return strings.ToLower(h)
	}
	return wild(ha) || wild(hb) || loop(ha) == loop(hb)
}

func validHostPort(s string) bool {
	_, port, err := net.SplitHostPort(s)
	if err != nil {
		return false
	}
	n, err := strconv.ParseUint(port, 10, 16)
	return err == nil && n <= 65535
}
