package polar

import (
	"fmt"
	"net/url"
	"strings"
)

// TokenPrefix starts every Polar access token (polar_oat_, polar_pat_, …).
const TokenPrefix = "polar_"

// CheckAccessToken reports whether tok can be a Polar access token. The
// error never contains the token.
func CheckAccessToken(tok string) error {
	if !strings.HasPrefix(strings.TrimSpace(tok), TokenPrefix) {
		return fmt.Errorf("it must start with %s", TokenPrefix)
	}
	return nil
}

// ParseEnvironment returns the environment named s, case and spaces
// ignored: EnvironmentProduction or EnvironmentSandbox.
func ParseEnvironment(s string) (string, error) {
	switch env := strings.ToLower(strings.TrimSpace(s)); env {
	case EnvironmentProduction, EnvironmentSandbox:
		return env, nil
	default:
		return "", fmt.Errorf("environment must be %q or %q", EnvironmentProduction, EnvironmentSandbox)
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
