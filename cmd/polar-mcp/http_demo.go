package main

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/polar-mcp/polar-mcp/auth"
	"github.com/polar-mcp/polar-mcp/caller"
	"github.com/polar-mcp/polar-mcp/config"
)

// demoTokenTTL is how long the caller tokens `http --demo` prints last.
const demoTokenTTL = 8 * time.Hour

// demoSecret gives `http --demo` without POLAR_MCP_TOKEN_SECRET a signing
// secret made for this run only, so the demo needs no setting at all.
func demoSecret(cfg *config.Config) bool {
	if !cfg.Demo || cfg.TokenSecret != "" || cfg.OIDCIssuer != "" {
		return false
	}
	b := make([]byte, 48)
	_, _ = rand.Read(b)
	cfg.TokenSecret = base64.RawURLEncoding.EncodeToString(b)
	return true
}

// printDemo writes where the demo serves and caller tokens for it, signed
// with the run's own secret, once the listener is up at addr.
func printDemo(w io.Writer, cfg config.Config, addr string) error {
	base := strings.TrimSuffix(cfg.BaseURL, "/")
	if base == "" || strings.HasSuffix(base, ":0") { // --listen with port 0
		base = "http://" + addr
	}
	ttl := demoTokenTTL
	if cfg.TokenMaxTTL > 0 {
		ttl = min(ttl, cfg.TokenMaxTTL)
	}
	now := time.Now()
	mint := func(c auth.Claims) string {
		tok, err := auth.Mint([]byte(cfg.TokenSecret), c, ttl, now)
		if err != nil {
			return "(" + err.Error() + ")"
		}
		return tok
	}
	_, err := fmt.Fprintf(w, `polar-mcp is serving the embedded demo organization (no Polar token, no network).
  streamable HTTP  %[1]s/mcp
  legacy SSE       %[1]s/sse
  agent panel      %[1]s/agent/  (paste the agent token, look up alice@example.com)
Caller tokens, signed with a secret made for this run only, valid for %[2]s (Authorization: Bearer <token>):
  agent                       %[3]s
  customer alice@example.com  %[4]s
Stop with Ctrl-C.
`, base, strings.TrimSuffix(strings.TrimSuffix(ttl.String(), "0s"), "0m"), mint(auth.Claims{Role: caller.Agent, Subject: "demo-agent"}),
		mint(auth.Claims{Role: caller.Customer, Email: "alice@example.com", EmailVerified: true}))
	return err
}
