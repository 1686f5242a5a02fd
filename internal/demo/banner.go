// Package demo is what `polar-mcp http --demo` tells its user: a signing
// secret made for the run when none is configured, and the banner with
// the URLs it serves and caller tokens to try them with. The demo's
// Polar organization itself is internal/fakepolar's.
package demo

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// TokenTTL is how long the caller tokens `http --demo` prints last.
const TokenTTL = 8 * time.Hour

// Secret gives `http --demo` without POLAR_MCP_TOKEN_SECRET (or an OpenID
// Connect issuer) a signing secret made for this run only, so the demo
// needs no setting at all. It reports whether it made one.
func Secret(cfg *config.Config) bool {
	if !cfg.Demo || cfg.TokenSecret != "" || cfg.OIDCIssuer != "" {
		return false
	}
	b := make([]byte, 48)
	_, _ = rand.Read(b)
	cfg.TokenSecret = base64.RawURLEncoding.EncodeToString(b)
	return true
}

// WriteBanner writes where the demo serves, and caller tokens for it
// signed with the token secret (made for this run when made), once the
// listener is up at addr.
func WriteBanner(w io.Writer, cfg config.Config, addr string, made bool) error {
	base := strings.TrimSuffix(cfg.BaseURL, "/")
	if base == "" || strings.HasSuffix(base, ":0") { // --listen with port 0
		base = "http://" + addr
	}
	var b strings.Builder
	fmt.Fprintf(&b, `polar-mcp is serving the embedded demo organization (no Polar token, no network).
  streamable HTTP  %[1]s/mcp
  legacy SSE       %[1]s/sse
  agent panel      %[1]s/agent/  (paste the agent token, look up alice@example.com)
`, base)
	if cfg.TokenSecret != "" {
		ttl := TokenTTL
		if cfg.TokenMaxTTL > 0 {
			ttl = min(ttl, cfg.TokenMaxTTL)
		}
		now := time.Now()
		mint := func(c identity.Claims) string {
			tok, err := identity.Mint([]byte(cfg.TokenSecret), c, ttl, now)
			if err != nil {
				return "(" + err.Error() + ")"
			}
			return tok
		}
		signer := "POLAR_MCP_TOKEN_SECRET"
		if made {
			signer = "a secret made for this run only"
		}
		fmt.Fprintf(&b, `Caller tokens, signed with %s, valid for %s (Authorization: Bearer <token>):
  agent                       %s
  customer alice@example.com  %s
`, signer, strings.TrimSuffix(strings.TrimSuffix(ttl.String(), "0s"), "0m"),
			mint(identity.Claims{Role: caller.Agent, Subject: "demo-agent"}),
			mint(identity.Claims{Role: caller.Customer, Email: "alice@example.com", EmailVerified: true}))
	}
	b.WriteString("Stop with Ctrl-C.\n")
	_, err := io.WriteString(w, b.String())
	return err
}
