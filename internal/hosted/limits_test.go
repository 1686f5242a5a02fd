package hosted

import (
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// get sends a GET for a stream and returns the response, body closed
// unless it is a stream.
func get(t *testing.T, url, tok string, header map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Authorization", "Bearer "+tok)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		_, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	return resp
}

// eventually polls cond until it holds, failing after a generous bound.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("%s: not within 30s", what)
}

func TestStreamsPerCallerAreCapped(t *testing.T) {
	ts := serve(t, newEcho().srv, nil)
	alice := customerToken(t, "alice@example.com")
	var streams []*rawStream
	for range config.DefaultMaxStreamsPerCaller {
		streams = append(streams, openStream(t, ts.url, "/sse", alice))
	}
	// A fresh token for the same customer is the same caller.
	again := customerToken(t, "Alice@Example.com")
	resp := get(t, ts.url+"/sse", again, nil)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("11th SSE stream: %d, Retry-After %q; want 429 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// Streamable HTTP GET streams share the count.
	if resp := get(t, ts.url+"/mcp", alice, map[string]string{mcp.HeaderProtocolVersion: "2025-11-25"}); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("GET /mcp stream over the cap: %d, want 429", resp.StatusCode)
	}
	openStream(t, ts.url, "/sse", customerToken(t, "bob@example.com")) // another caller is unaffected

	streams[0].close()
	eventually(t, "a stream slot freed by a closed stream", func() bool {
		return get(t, ts.url+"/sse", alice, nil).StatusCode == http.StatusOK
	})
}

func TestSessionsPerCallerAreCapped(t *testing.T) {
	const max = 3
	ts := serve(t, newEcho().srv, func(c *Config) { c.MaxSessionsPerCaller = max })
	alice := customerToken(t, "alice@example.com")
	var sessions []string
	for range max {
		resp, body := post(t, ts.url+"/mcp", alice, initializeBody, nil)
		sid := resp.Header.Get(server.HeaderKeySessionID)
		if resp.StatusCode != http.StatusOK || sid == "" {
			t.Fatalf("initialize: %d %s", resp.StatusCode, body)
		}
		sessions = append(sessions, sid)
	}
	resp, body := post(t, ts.url+"/mcp", alice, initializeBody, nil)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("initialize over the cap: %d %s (Retry-After %q), want 429 with Retry-After", resp.StatusCode, body, resp.Header.Get("Retry-After"))
	}
	if _, err := dial(ts.url, "http", "2025-11-25", alice); err == nil {
		t.Error("an mcp-go client opened a session over the cap")
	}
	connect(t, ts.url, "http", "2025-11-25", customerToken(t, "bob@example.com")) // another caller is unaffected
	// The sessions still work.
	if resp, body := post(t, ts.url+"/mcp", alice, whoamiCallBody, map[string]string{server.HeaderKeySessionID: sessions[0],
		mcp.HeaderProtocolVersion: "2025-11-25"}); resp.StatusCode != http.StatusOK {
		t.Errorf("call on a session within the cap: %d %s", resp.StatusCode, body)
	}

	// Ending a session frees its slot.
	req, _ := http.NewRequest(http.MethodDelete, ts.url+"/mcp", nil)
	req.Header.Set("Authorization", "Bearer "+alice)
	req.Header.Set(server.HeaderKeySessionID, sessions[0])
	req.Header.Set(mcp.HeaderProtocolVersion, "2025-11-25")
	del, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	del.Body.Close()
	if del.StatusCode != http.StatusOK {
		t.Fatalf("DELETE: %d", del.StatusCode)
	}
	connect(t, ts.url, "http", "2025-11-25", alice)
}

func TestIdleSessionsStopCounting(t *testing.T) {
	ts := serve(t, newEcho().srv, func(c *Config) {
		c.MaxSessionsPerCaller = 1
		c.SessionIdleTTL = time.Second
	})
	alice := customerToken(t, "alice@example.com")
	connect(t, ts.url, "http", "2025-11-25", alice)
	eventually(t, "a session slot freed by the idle sweep", func() bool {
		resp, _ := post(t, ts.url+"/mcp", alice, initializeBody, nil)
		return resp.StatusCode == http.StatusOK
	})
}

func TestStreamEndsWhenTheTokenExpires(t *testing.T) {
	ts := serve(t, newEcho().srv, nil)
	claims := identity.Claims{Role: caller.Customer, Email: "alice@example.com", EmailVerified: true}
	for _, path := range []string{"/sse", "/mcp"} {
		short, err := identity.Mint([]byte(secretA), claims, 3*time.Second, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		resp := get(t, ts.url+path, short, map[string]string{mcp.HeaderProtocolVersion: "2025-11-25"})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		ended := make(chan error, 1)
		go func() {
			_, err := io.Copy(io.Discard, resp.Body)
			ended <- err
		}()
		select {
		case err := <-ended:
			if err != nil {
				t.Errorf("%s: stream broke instead of ending: %v", path, err)
			}
		case <-time.After(60 * time.Second):
			t.Fatalf("%s: stream still open a minute after its token expired", path)
		}
	}
	// A token past its exp (within the verifier's leeway) opens no stream.
	stale, err := identity.Mint([]byte(secretA), claims, 5*time.Second, time.Now().Add(-10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if resp := get(t, ts.url+"/sse", stale, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("stream with an expired token: %d, want 401", resp.StatusCode)
	}
}
