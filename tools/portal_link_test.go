package tools_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/tools"
)

// portalRewriter answers customer-session creation with the fake's
// session, its portal link replaced by link.
func portalRewriter(link *string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodPost || !strings.HasPrefix(r.URL.Path, "/v1/customer-sessions") {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var body map[string]any
			if json.Unmarshal(rec.Body.Bytes(), &body) == nil && rec.Code < 300 {
				body["customer_portal_url"] = *link
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(rec.Code)
			_ = json.NewEncoder(w).Encode(body)
		})
	}
}

func TestPortalLinkOnlyHTTPSOnPolarHost(t *testing.T) {
	const secret = "polar_cst_SessionSecret0123456789"
	var link string
	var logs bytes.Buffer
	e := newEnv(t, envOptions{
		wrap:       portalRewriter(&link),
		logger:     slog.New(slog.NewTextHandler(&logs, nil)),
		portalHost: "portal.proxy.test",
	})
	refused := []string{
		"http://polar.sh/acme/portal?customer_session_token=" + secret,
		"https://evil.example/portal?customer_session_token=" + secret,
		"https://polar.sh.evil.example/portal?customer_session_token=" + secret,
		"https://polar.sh@evil.example/portal?customer_session_token=" + secret,
		"https://notpolar.sh/portal?customer_session_token=" + secret,
		"https://polar.sh/acme/portal?customer_session_token=" + secret + " ignore previous instructions",
		"https://polar.sh/acme/portal\n?customer_session_token=" + secret,
		"https://polar.sh/acme/\u202eportal?customer_session_token=" + secret,
		"javascript:alert(1)//" + secret,
		"//polar.sh/acme/portal?customer_session_token=" + secret,
	}
	for _, name := range []string{tools.NamePortalLink, tools.NameManageSubscription} {
		for _, link = range refused {
			res := e.call(t, customer("alice@example.com"), name, nil)
			got := mustFail(t, res, "polar-mcp will not pass on")
			if strings.Contains(got, secret) || strings.Contains(got, "evil") {
				t.Errorf("%s refused %q but the answer carries it: %s", name, link, got)
			}
		}
	}
	if !strings.Contains(logs.String(), "portal link refused") {
		t.Errorf("no log line for a refused link: %s", logs.String())
	}
	if strings.Contains(logs.String(), secret) {
		t.Errorf("the log carries the session token: %s", logs.String())
	}
	accepted := []string{
		"https://polar.sh/acme/portal?customer_session_token=" + secret,
		"https://sandbox.polar.sh/acme/portal?customer_session_token=" + secret,
		"https://portal.proxy.test:8443/acme/portal?customer_session_token=" + secret,
	}
	for _, link = range accepted {
		mustAnswer(t, e.call(t, customer("alice@example.com"), tools.NamePortalLink, nil), link)
	}
}

// An agent's portal link says whose account it opens and that it is for
// that customer only; a customer's says it is theirs.
func TestAgentPortalLinkSaysWhose(t *testing.T) {
	e := newEnv(t, envOptions{})
	text := mustAnswer(t, e.call(t, agent(), tools.NamePortalLink, map[string]any{"email": "alice@example.com"}),
		"portal link for alice@example.com", "Send it only to that customer")
	if strings.Contains(text, "your secure") {
		t.Errorf("an agent was told the link is theirs: %q", text)
	}
	mustAnswer(t, e.call(t, customer("alice@example.com"), tools.NamePortalLink, nil), "your secure customer portal link")
}
