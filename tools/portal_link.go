package tools

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"unicode"

	"github.com/polar-mcp/polar-mcp/internal/textsafe"
)

// polarHost is the host, with its subdomains, portal links must be on.
const polarHost = "polar.sh"

// errPortalLink is the answer when Polar's portal link fails the checks.
var errPortalLink = errors.New("the portal link Polar returned is one polar-mcp will not pass on (it is not an https link on a Polar host). " +
	"Please try again; if it keeps happening, open the customer portal from the merchant's website or Polar's own emails")

// checkPortalLink accepts raw only when it is an https URL, without
// whitespace, control characters or user info, on polar.sh, one of its
// subdomains, or extraHost (the configured server's host, for tests and
// proxies). A refused link is logged by host and reason, never with its
// query, which holds the customer session token.
func checkPortalLink(ctx context.Context, log *slog.Logger, raw, extraHost string) error {
	reason := portalLinkProblem(raw, extraHost)
	if reason == "" {
		return nil
	}
	host := ""
	if u, err := url.Parse(raw); err == nil {
		host = u.Hostname()
	}
	log.LogAttrs(ctx, slog.LevelWarn, "portal link refused",
		slog.String("reason", reason), slog.String("host", textsafe.Plain(host, 100)))
	return errPortalLink
}

func portalLinkProblem(raw, extraHost string) string {
	if strings.IndexFunc(raw, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || textsafe.Invisible(r) }) >= 0 {
		return "whitespace or control characters"
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return "not a URL"
	case u.Scheme != "https":
		return "not https"
	case u.User != nil:
		return "user info in the URL"
	case u.Opaque != "":
		return "opaque URL"
	}
	host := strings.ToLower(u.Hostname())
	if host == polarHost || strings.HasSuffix(host, "."+polarHost) || extraHost != "" && host == strings.ToLower(extraHost) {
		return ""
	}
	return "host is not Polar's"
}
