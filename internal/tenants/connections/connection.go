package connections

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/polar-mcp/polar-mcp/config"
)

// Environment is the Polar environment a connection talks to. A connection
// names an environment, never a server URL.
type Environment string

// The Polar environments (package polar owns them).
const (
	Production Environment = config.Production
	Sandbox    Environment = config.Sandbox
)

// ParseEnvironment returns the environment named s ("production" or
// "sandbox", any case).
func ParseEnvironment(s string) (Environment, error) {
	e, err := config.ParseEnvironment(s)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return Environment(e), nil
}

// Organization is the Polar organization a token belongs to.
type Organization struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Connection is a stored connection without its secrets. It is safe to
// log and to return from an admin API.
type Connection struct {
	ID           string       `json:"id"`
	Name         string       `json:"name"`
	Environment  Environment  `json:"environment"`
	Organization Organization `json:"organization"`
	// Scopes are the token scopes last found to work.
	Scopes []string `json:"scopes"`
	// TokenHint identifies the token to a person, e.g. "polar_oat_…3f9c".
	TokenHint  string     `json:"token_hint"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	CheckedAt  *time.Time `json:"checked_at,omitempty"`
	DisabledAt *time.Time `json:"disabled_at,omitempty"`
	// WebhookSecretSet reports whether Polar's webhooks are verified for
	// it (SetWebhookSecret).
	WebhookSecretSet bool `json:"webhook_secret_set"`
	// WebhookReceivedAt is when a verified webhook delivery last came, to
	// the minute (RecordWebhook).
	WebhookReceivedAt *time.Time `json:"webhook_received_at,omitempty"`
	// RateLimit is the connection's own Polar budget in requests per
	// minute, before the server's headroom; 0 means the server's
	// (SetRateLimit).
	RateLimit int `json:"rate_limit,omitempty"`
}

// Disabled reports whether the connection has been disabled.
func (c Connection) Disabled() bool { return c.DisabledAt != nil }

// NewConnection is what Create needs to store a connection.
type NewConnection struct {
	// Name is shown to people; it defaults to the organization's name.
	Name        string
	Environment Environment
	// Token is the plaintext Polar access token. It is encrypted before it
	// is stored and never appears in an error.
	Token        string
	Organization Organization
	Scopes       []string
}

// Limits on what a connection may hold.
const (
	maxNameLen  = 200
	maxTokenLen = 4096
	maxScopes   = 100
)

// normalize trims and checks n. Its errors never quote the token.
func (n NewConnection) normalize() (NewConnection, error) {
	n.Name = strings.TrimSpace(n.Name)
	n.Organization.ID = strings.TrimSpace(n.Organization.ID)
	n.Organization.Name = strings.TrimSpace(n.Organization.Name)
	if n.Name == "" {
		n.Name = n.Organization.Name
	}
	if err := checkText("name", n.Name, maxNameLen); err != nil {
		return n, err
	}
	if n.Name == "" {
		return n, fmt.Errorf("%w: a name or an organization name is required", ErrInvalid)
	}
	env, err := ParseEnvironment(string(n.Environment))
	if err != nil {
		return n, err
	}
	n.Environment = env
	token, err := normalizeToken(n.Token)
	if err != nil {
		return n, err
	}
	n.Token = token
	if err := checkOrganization(n.Organization); err != nil {
		return n, err
	}
	n.Scopes, err = normalizeScopes(n.Scopes)
	return n, err
}

func normalizeToken(token string) (string, error) {
	token = strings.TrimSpace(token)
	switch {
	case token == "":
		return "", fmt.Errorf("%w: a Polar access token is required", ErrInvalid)
	case len(token) > maxTokenLen:
		return "", fmt.Errorf("%w: the access token is longer than %d bytes", ErrInvalid, maxTokenLen)
	case strings.IndexFunc(token, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return "", fmt.Errorf("%w: the access token contains spaces or control characters", ErrInvalid)
	}
	return token, nil
}

func checkOrganization(o Organization) error {
	if err := checkText("organization id", o.ID, maxNameLen); err != nil {
		return err
	}
	return checkText("organization name", o.Name, maxNameLen)
}

func checkText(field, s string, max int) error {
	if len(s) > max {
		return fmt.Errorf("%w: %s is longer than %d bytes", ErrInvalid, field, max)
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return fmt.Errorf("%w: %s contains control characters", ErrInvalid, field)
	}
	return nil
}

// normalizeScopes trims, drops empties and duplicates, and sorts.
func normalizeScopes(scopes []string) ([]string, error) {
	seen := map[string]bool{}
	out := []string{}
	for _, s := range scopes {
		s = strings.TrimSpace(s)
		if s == "" || seen[s] {
			continue
		}
		if strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 || len(s) > maxNameLen {
			return nil, fmt.Errorf("%w: scope %q is not a scope name", ErrInvalid, s)
		}
		seen[s] = true
		out = append(out, s)
	}
	if len(out) > maxScopes {
		return nil, fmt.Errorf("%w: more than %d scopes", ErrInvalid, maxScopes)
	}
	slices.Sort(out)
	return out, nil
}
