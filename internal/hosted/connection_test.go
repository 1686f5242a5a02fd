package hosted

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// perConnection serves the echo server per connection; shop-a and shop-c
// share a secret, shop-b has its own.
func perConnection(t *testing.T, e *echo) *testServer {
	secrets := map[string]string{"shop-a": secretA, "shop-b": secretB, "shop-c": secretA}
	return serve(t, e.srv, func(c *Config) {
		c.PerConnection = true
		c.Resolve = func(_ context.Context, connection string) (Connection, error) {
			s, ok := secrets[connection]
			if !ok {
				return Connection{}, &identity.Error{Kind: identity.KindUnknownAudience}
			}
			return Connection{Secret: []byte(s)}, nil
		}
	})
}

func connectionToken(t *testing.T, secret, connection string) string {
	return token(t, secret, identity.Claims{Role: caller.Customer, Email: "alice@example.com", EmailVerified: true, Audience: connection})
}

func TestPerConnectionRouting(t *testing.T) {
	e := newEcho()
	s := perConnection(t, e)
	tok := connectionToken(t, secretA, "shop-a")
	for _, tr := range []struct{ kind, version string }{{"sse", "2024-11-05"}, {"http", "2025-11-25"}, {"http", "2026-07-28"}} {
		c := connect(t, s.url+"/c/shop-a", tr.kind, tr.version, tok)
		want := whoami{Role: "customer", Email: "alice@example.com", Connection: "shop-a"}
		if got := callWhoami(t, c); got != want {
			t.Errorf("%s/%s: tool saw %+v, want %+v", tr.kind, tr.version, got, want)
		}
	}
	st := openStream(t, s.url, "/c/shop-a/sse", tok)
	if !strings.HasPrefix(st.endpoint, s.url+"/c/shop-a/message?sessionId=") {
		t.Errorf("SSE message endpoint = %q", st.endpoint)
	}
}

func TestPerConnectionRefusals(t *testing.T) {
	e := newEcho()
	s := perConnection(t, e)
	shopA := connectionToken(t, secretA, "shop-a")
	metadata := s.url + "/.well-known/oauth-protected-resource/c/shop-c"
	tests := []struct {
		name, path, token string
		want              int
	}{
		{"token for another connection with the same secret", "/c/shop-c/mcp", shopA, http.StatusUnauthorized},
		{"token without audience", "/c/shop-c/mcp", token(t, secretA, identity.Claims{Role: caller.Agent}), http.StatusUnauthorized},
		{"token for another connection with another secret", "/c/shop-b/mcp", shopA, http.StatusUnauthorized},
		{"unknown connection", "/c/shop-z/mcp", shopA, http.StatusNotFound},
		{"malformed connection id", "/c/shop%21a/mcp", shopA, http.StatusNotFound},
		{"root endpoint in per-connection mode", "/mcp", shopA, http.StatusNotFound},
	}
	for _, tt := range tests {
		resp, body := post(t, s.url+tt.path, tt.token, initializeBody, nil)
		if resp.StatusCode != tt.want {
			t.Errorf("%s: %d %s, want %d", tt.name, resp.StatusCode, body, tt.want)
		}
		if tt.path == "/c/shop-c/mcp" {
			checkUnauthorized(t, resp, body, metadata, false)
		}
	}

	// A session opened on shop-a cannot be used through shop-c, even by the
	// same person with a token for shop-c signed with the same secret.
	st := openStream(t, s.url, "/c/shop-a/sse", shopA)
	elsewhere := strings.Replace(st.endpoint, "/c/shop-a/", "/c/shop-c/", 1)
	if resp, body := post(t, elsewhere, connectionToken(t, secretA, "shop-c"), whoamiCallBody, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("shop-a's session through shop-c: %d %s, want 403", resp.StatusCode, body)
	}
	if n := e.calls.Load(); n != 0 {
		t.Errorf("the tool ran %d times", n)
	}
}

func TestPerConnectionMetadata(t *testing.T) {
	s := perConnection(t, newEcho())
	resp, err := http.Get(s.url + "/.well-known/oauth-protected-resource/c/shop-a")
	if err != nil {
		t.Fatal(err)
	}
	var md struct {
		Resource string `json:"resource"`
	}
	if err := json.Unmarshal([]byte(readAll(resp)), &md); err != nil || md.Resource != s.url+"/c/shop-a" {
		t.Errorf("metadata: %d %+v %v", resp.StatusCode, md, err)
	}
}
