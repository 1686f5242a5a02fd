package config

import (
	"fmt"
	"net/url"
	"strings"
)

// Environments Polar offers.
const (
	Production = "production"
	Sandbox    = "sandbox"
)

// DefaultAPIVersion is the Polar-Version sent when none is configured.
const DefaultAPIVersion = "2026-04"

// TokenPrefix starts every Polar access token (polar_oat_, polar_pat_, …).
const TokenPrefix = "polar_"

// The two caller roles, as settings and tokens name them.
const (
	RoleCustomer = "customer" // acts for one verified customer only
	RoleAgent    = "agent"    // a merchant's support agent: names the customer
)

// CheckAccessToken reports whether tok can be a Polar access token. The
// error never contains the token.
func CheckAccessToken(tok string) error {
	if !strings.HasPrefix(strings.TrimSpace(tok), TokenPrefix) {
		return fmt.Errorf("it must start with %s", TokenPrefix)
	}
	return nil
}

// ParseEnvironment returns the environment named s, case and spaces
// ignored: Production or Sandbox.
func ParseEnvironment(s string) (string, error) {
	switch env := strings.ToLower(strings.TrimSpace(s)); env {
	case Production, Sandbox:
		return env, nil
	default:
		return "", fmt.Errorf("environment must be %q or %q", Production, Sandbox)
	}
}

// CheckServerURL reports whether raw can be the URL of a Polar API server
// (an http or https URL with a host).
func CheckServerURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", raw)
	}
	return nil
}

// ParseBaseURL checks a public base URL: an absolute http(s) URL with
// scheme and host only (an optional trailing slash is dropped).
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSuffix(raw, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("hosted: BaseURL %q must be an absolute http(s) URL", raw)
	}
	if u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("hosted: BaseURL %q must be scheme and host only", raw)
	}
	return u, nil
}

// checkRole reports whether s names a role exactly.
func checkRole(s string) (string, error) {
	switch s {
	case RoleCustomer, RoleAgent:
		return s, nil
	default:
		return "", fmt.Errorf("role must be %q or %q", RoleCustomer, RoleAgent)
	}
}
