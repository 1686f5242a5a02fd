package tenants

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/tenants/connections"
)

// WriteList writes one line per connection, for the CLI.
func WriteList(w io.Writer, list []connections.Connection) {
	if len(list) == 0 {
		fmt.Fprintln(w, "no connections: add one with polar-mcp connections add")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tENVIRONMENT\tORGANIZATION\tSTATUS\tMISSING SCOPES")
	for _, c := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.Name, c.Environment, OrgText(c.Organization),
			status(c), orNone(missingScopes(c)))
	}
	tw.Flush()
}

// WriteAdded writes what `connections add` tells: the connection, its id
// and its signing secret, shown only this once.
func WriteAdded(w io.Writer, added Added) {
	c := added.Connection
	fmt.Fprintf(w, "Connected %q (%s, organization %s).\n", c.Name, c.Environment, OrgText(c.Organization))
	fmt.Fprintf(w, "connection id:  %s\n", c.ID)
	fmt.Fprintf(w, "signing secret: %s\n", added.SigningSecret.Reveal())
	fmt.Fprintf(w, "The signing secret is shown only now: keep it in the chatbot backend, which signs caller\n"+
		"tokens with it (aud = %s) for /c/%s/mcp and /c/%s/sse.\n", c.ID, c.ID, c.ID)
}

// WriteConnection writes a connection, key by key. It has no secrets to
// print: connections.Connection holds none.
func WriteConnection(w io.Writer, c connections.Connection) {
	tw := tabwriter.NewWriter(w, 0, 4, 1, ' ', 0)
	rows := [][2]string{
		{"id", c.ID},
		{"name", c.Name},
		{"environment", string(c.Environment)},
		{"organization", OrgText(c.Organization)},
		{"status", status(c)},
		{"scopes", orNone(c.Scopes)},
		{"missing scopes", orNone(missingScopes(c))},
		{"token", c.TokenHint},
		{"created", stamp(&c.CreatedAt)},
		{"updated", stamp(&c.UpdatedAt)},
		{"checked", stamp(c.CheckedAt)},
		{"disabled", stamp(c.DisabledAt)},
		{"webhooks", WebhookState(c)},
		{"rate limit", strings.TrimPrefix(RateLimitState(c), "rate limit: ")},
		{"endpoints", "/c/" + c.ID + "/mcp (streamable HTTP), /c/" + c.ID + "/sse (SSE)"},
	}
	for _, r := range rows {
		fmt.Fprintf(tw, "%s:\t%s\n", r[0], r[1])
	}
	tw.Flush()
}

// OrgText names an organization, or says why it cannot.
func OrgText(o connections.Organization) string {
	switch {
	case o.ID == "":
		return "unknown"
	case o.Name == "":
		return o.ID + " (name unknown: no organizations:read)"
	}
	return o.Name + " (" + o.ID + ")"
}

func status(c connections.Connection) string {
	if c.Disabled() {
		return "disabled"
	}
	return "enabled"
}

// missingScopes are the required scopes the connection's last check did
// not find working.
func missingScopes(c connections.Connection) []string {
	var out []string
	for _, s := range RequiredScopes() {
		if !slices.Contains(c.Scopes, s) {
			out = append(out, s)
		}
	}
	return out
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}

func stamp(t *time.Time) string {
	if t == nil {
		return "never"
	}
	return t.UTC().Format(time.RFC3339)
}

// WebhookState says whether a connection's webhooks are verified and when
// the last delivery came (recorded at most once a minute).
func WebhookState(c connections.Connection) string {
	if !c.WebhookSecretSet {
		return "no secret (POST /c/" + c.ID + "/webhooks/polar refused; set one with set-webhook-secret)"
	}
	return "secret set; last delivery " + stamp(c.WebhookReceivedAt)
}

// RateLimitState says which budget a connection uses.
func RateLimitState(c connections.Connection) string {
	if c.RateLimit == 0 {
		return "rate limit: the server's (POLAR_MCP_RATE_LIMIT)"
	}
	return fmt.Sprintf("rate limit: %d requests per minute, before the headroom", c.RateLimit)
}
