package hosted

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestOriginIsValidated(t *testing.T) {
	e := newEcho()
	s := serve(t, e.srv, func(c *Config) { c.AllowedOrigins = []string{"https://app.example.com"} })
	tok := agentToken(t)
	tests := []struct {
		origin string
		want   int
	}{
		{"", http.StatusOK},                        // server-side client
		{"https://app.example.com", http.StatusOK}, // listed
		{"https://APP.example.com", http.StatusOK}, // origins are case-insensitive
		{s.url, http.StatusOK},                     // same origin
		{"https://evil.example", http.StatusForbidden},
		{"https://app.example.com.evil.example", http.StatusForbidden},
		{"null", http.StatusForbidden},
	}
	for _, tt := range tests {
		resp, body := post(t, s.url+"/mcp", tok, initializeBody, map[string]string{"Origin": tt.origin})
		if resp.StatusCode != tt.want {
			t.Errorf("Origin %q: %d %s, want %d", tt.origin, resp.StatusCode, body, tt.want)
		}
	}
	// A refused origin is refused before its token is even looked at, and
	// on the SSE endpoints too.
	st := openStream(t, s.url, "/sse", tok)
	for _, url := range []string{s.url + "/mcp", st.endpoint} {
		resp, body := post(t, url, tok, whoamiCallBody, map[string]string{"Origin": "https://evil.example"})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s from a foreign origin: %d %s", url, resp.StatusCode, body)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, s.url+"/sse", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Origin", "https://evil.example")
	if resp, err := http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	} else if readAll(resp); resp.StatusCode != http.StatusForbidden {
		t.Errorf("GET /sse from a foreign origin: %d", resp.StatusCode)
	}
	if n := e.calls.Load(); n != 0 {
		t.Errorf("the tool ran %d times for foreign origins", n)
	}

	resp, _ := post(t, s.url+"/mcp", tok, initializeBody, map[string]string{"Origin": "https://app.example.com"})
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "https://app.example.com" {
		t.Errorf("Access-Control-Allow-Origin = %q", got)
	}
}

func TestCORSPreflight(t *testing.T) {
	s := serve(t, newEcho().srv, func(c *Config) { c.AllowedOrigins = []string{"https://app.example.com"} })
	preflight := func(path, origin string) *http.Response {
		req, _ := http.NewRequest(http.MethodOptions, s.url+path, nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization, content-type, mcp-protocol-version")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		readAll(resp)
		return resp
	}
	for _, path := range []string{"/mcp", "/sse", "/message"} {
		resp := preflight(path, "https://app.example.com")
		if resp.StatusCode != http.StatusNoContent {
			t.Errorf("preflight %s: %d", path, resp.StatusCode)
		}
		allowed := strings.ToLower(resp.Header.Get("Access-Control-Allow-Headers"))
		for _, h := range []string{"authorization", "content-type", "mcp-protocol-version"} {
			if !strings.Contains(allowed, h) {
				t.Errorf("preflight %s allows headers %q, missing %s", path, allowed, h)
			}
		}
		if resp := preflight(path, "https://evil.example"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("foreign preflight %s: %d", path, resp.StatusCode)
		}
	}
}

func TestDNSRebindingProtection(t *testing.T) {
	e := newEcho()
	s := serve(t, e.srv, func(c *Config) { c.BaseURL = "https://mcp.example.com" })
	tok := agentToken(t)
	for host, want := range map[string]int{
		"":                http.StatusOK, // the listener's own 127.0.0.1 address
		"localhost":       http.StatusOK,
		"mcp.example.com": http.StatusOK, // a reverse proxy on this machine
		"evil.example":    http.StatusForbidden,
	} {
		req, _ := http.NewRequest(http.MethodPost, s.url+"/mcp", strings.NewReader(whoamiCallBody))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Mcp-Protocol-Version", "2025-11-25")
		if host != "" {
			req.Host = host
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(resp)
		// The call itself is refused by mcp-go without a session; only the
		// Host check answers 403.
		if got := resp.StatusCode == http.StatusForbidden; got != (want == http.StatusForbidden) {
			t.Errorf("Host %q: %d %s", host, resp.StatusCode, body)
		}
	}
	if n := e.calls.Load(); n != 0 {
		t.Errorf("the tool ran %d times", n)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	var adapterMissing atomic.Bool
	s := serve(t, newEcho().srv, func(c *Config) {
		c.Ready = func(context.Context) error {
			if adapterMissing.Load() {
				return errors.New("polar adapter not built")
			}
			return nil
		}
	})
	get := func(path string) (int, status) {
		resp, err := http.Get(s.url + path)
		if err != nil {
			t.Fatal(err)
		}
		var st status
		if err := json.Unmarshal([]byte(readAll(resp)), &st); err != nil {
			t.Fatalf("%s body: %v", path, err)
		}
		return resp.StatusCode, st
	}
	if code, _ := get("/healthz"); code != http.StatusOK {
		t.Errorf("/healthz = %d", code)
	}
	if code, _ := get("/readyz"); code != http.StatusOK {
		t.Errorf("/readyz = %d", code)
	}
	adapterMissing.Store(true)
	if code, st := get("/readyz"); code != http.StatusServiceUnavailable || st.Reason != "polar adapter not built" {
		t.Errorf("/readyz while not ready = %d %+v", code, st)
	}
	adapterMissing.Store(false)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.h.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if code, st := get("/readyz"); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz after Shutdown = %d %+v", code, st)
	}
	if code, _ := get("/healthz"); code != http.StatusOK {
		t.Errorf("/healthz after Shutdown = %d", code)
	}
}

func TestProtectedResourceMetadata(t *testing.T) {
	s := serve(t, newEcho().srv, nil)
	resp, err := http.Get(s.url + "/.well-known/oauth-protected-resource")
	if err != nil {
		t.Fatal(err)
	}
	var md struct {
		Resource string   `json:"resource"`
		Methods  []string `json:"bearer_methods_supported"`
	}
	if err := json.Unmarshal([]byte(readAll(resp)), &md); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("metadata: %d %v", resp.StatusCode, err)
	}
	if md.Resource != s.url || len(md.Methods) != 1 || md.Methods[0] != "header" {
		t.Errorf("metadata = %+v", md)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	srv := newEcho().srv
	secret := func(context.Context, string) (Connection, error) { return Connection{Secret: []byte(secretA)}, nil }
	for name, cfg := range map[string]Config{
		"no secret":      {BaseURL: "https://mcp.example.com"},
		"no base URL":    {Resolve: secret},
		"relative URL":   {BaseURL: "/mcp", Resolve: secret},
		"URL with path":  {BaseURL: "https://mcp.example.com/polar", Resolve: secret},
		"bad origin":     {BaseURL: "https://mcp.example.com", Resolve: secret, AllowedOrigins: []string{"app.example.com"}},
		"origin w/ path": {BaseURL: "https://mcp.example.com", Resolve: secret, AllowedOrigins: []string{"https://app.example.com/x"}},
	} {
		if _, err := New(cfg, srv); err == nil {
			t.Errorf("%s: New accepted %+v", name, cfg)
		}
	}
}

func TestSSEStreamsArePingedToStayOpen(t *testing.T) {
	s := serve(t, newEcho().srv, func(c *Config) { c.KeepAlive = 20 * time.Millisecond })
	st := openStream(t, s.url, "/sse", agentToken(t))
	ev := st.next(t)
	var msg struct {
		Method string `json:"method"`
	}
	if err := json.Unmarshal([]byte(ev.data), &msg); err != nil || ev.name != "message" || msg.Method != "ping" {
		t.Errorf("idle stream got %+v, want a ping", ev)
	}
}
