package polarmcp

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/config"
)

// postDesk sends POST base+/agent/api/<action> with body as JSON, token
// and origin (both optional), and returns the status and JSON body.
func postDesk(t *testing.T, base, action, token, origin, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/agent/api/"+action, bytes.NewBufferString(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return res.StatusCode, out
}

// The desk's routes are the panel's: agents only, a Bearer token, POST
// with a JSON body, the page's own origin or a configured one.
func TestDeskAPIRefusals(t *testing.T) {
	base := serve(t, config.Config{Demo: true})
	agent := agentToken(t)
	for _, action := range []string{"search", "portal-link", "invoices"} {
		body := `{"email":"carol@example.com"}`
		if action == "search" {
			body = `{"query":"Jones"}`
		}
		if s, _ := postDesk(t, base, action, "", "", body); s != http.StatusUnauthorized {
			t.Errorf("%s without a token: %d", action, s)
		}
		s, b := postDesk(t, base, action, customerToken(t, "carol@example.com"), "", body)
		if s != http.StatusForbidden || !strings.Contains(b["message"].(string), "support agents only") {
			t.Errorf("%s with a customer's token: %d %v", action, s, b)
		}
		if s := getStatus(t, base+"/agent/api/"+action, agent); s != http.StatusMethodNotAllowed {
			t.Errorf("GET %s: %d", action, s)
		}
		if s, _ := postDesk(t, base, action, agent, "https://evil.example", body); s != http.StatusForbidden {
			t.Errorf("%s from another origin: %d", action, s)
		}
		if s, _ := postDesk(t, base, action, agent, "", `{}`); s != http.StatusBadRequest {
			t.Errorf("%s without its argument: %d", action, s)
		}
		if s, b := postDesk(t, base, action, agent, base, body); s != http.StatusOK {
			t.Errorf("%s from the page's own origin: %d %v", action, s, b)
		}
		// Another host on the same machine is another origin.
		other := strings.Replace(base, "127.0.0.1", "localhost", 1)
		if s, _ := postDesk(t, base, action, agent, other, body); s != http.StatusForbidden {
			t.Errorf("%s from %s: %d", action, other, s)
		}
	}
	if s, b := postDesk(t, base, "invoices", agent, "", `{"email":"not an email"}`); s != http.StatusBadRequest {
		t.Errorf("invoices for a non-email: %d %v", s, b)
	}
	s, b := postDesk(t, base, "search", agent, "", `{"query":"Zebedee"}`)
	if list, ok := b["customers"].([]any); s != http.StatusOK || !ok || len(list) != 0 {
		t.Errorf("a search matching nobody: %d %v", s, b)
	}
}

// The portal-link route creates a session for the customer the agent
// names, and shows its link and expiry.
func TestDeskPortalLink(t *testing.T) {
	base := serve(t, config.Config{Demo: true})
	s, b := postDesk(t, base, "portal-link", agentToken(t), "", `{"email":"carol@example.com"}`)
	url, _ := b["portal_url"].(string)
	if s != http.StatusOK || !strings.HasPrefix(url, "https://polar.sh/northwind-cloud/portal?customer_session_token=") || b["expires_at"] == "" {
		t.Errorf("portal link: %d %v", s, b)
	}
}

// Desk actions spend the caller's tool-call budget, like look-ups.
func TestDeskAPISharesTheCallLimit(t *testing.T) {
	base := serve(t, config.Config{Demo: true, CallsPerMinute: 1, CallBurst: 2})
	tok := agentToken(t)
	for i := range 2 {
		if s, b := postDesk(t, base, "search", tok, "", `{"query":"Jones"}`); s != http.StatusOK {
			t.Fatalf("search %d: %d %v", i, s, b)
		}
	}
	if s, b := postDesk(t, base, "search", tok, "", `{"query":"Jones"}`); s != http.StatusTooManyRequests {
		t.Errorf("third search: %d %v, want 429", s, b)
	}
}

// Read-only mode has no portal sessions: the button's route says so.
func TestDeskPortalLinkReadOnly(t *testing.T) {
	base := serve(t, config.Config{Demo: true, ReadOnly: true})
	if s, b := postDesk(t, base, "portal-link", agentToken(t), "", `{"email":"carol@example.com"}`); s != http.StatusNotImplemented {
		t.Errorf("portal link in read-only mode: %d %v", s, b)
	}
}

// getStatus is the status of a GET of url with the bearer token.
func getStatus(t *testing.T, url, token string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}
