package hosted

import (
	"net/http"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// Two email-less agents must never share a session: on SSE, B's POST into
// A's stream is refused; on streamable HTTP, B cannot use A's session id.
// The same agent (same sub) with a fresh token keeps its session.
func TestAgentsWithoutEmailNeverShareASession(t *testing.T) {
	e := newEcho()
	s := serve(t, e.srv, nil)
	agentA := token(t, secretA, identity.Claims{Role: caller.Agent, Subject: "agent-a"})
	agentAAgain := token(t, secretA, identity.Claims{Role: caller.Agent, Subject: "agent-a"})
	agentB := token(t, secretA, identity.Claims{Role: caller.Agent, Subject: "agent-b"})
	anonymous1 := token(t, secretA, identity.Claims{Role: caller.Agent}) // a random jti each
	anonymous2 := token(t, secretA, identity.Claims{Role: caller.Agent})

	st := openStream(t, s.url, "/sse", agentA)
	for name, tok := range map[string]string{"agent B": agentB, "an agent without sub": anonymous1} {
		if resp, body := post(t, st.endpoint, tok, whoamiCallBody, nil); resp.StatusCode != http.StatusForbidden {
			t.Errorf("SSE: %s posting on agent A's stream: %d %s, want 403", name, resp.StatusCode, body)
		}
	}
	if resp, body := post(t, st.endpoint, agentAAgain, initializeBody, nil); resp.StatusCode != http.StatusAccepted {
		t.Errorf("SSE: agent A with a fresh token: %d %s, want 202", resp.StatusCode, body)
	}

	for _, pair := range []struct{ name, owner, other string }{
		{"sub", agentA, agentB},
		{"jti", anonymous1, anonymous2},
	} {
		resp, body := post(t, s.url+"/mcp", pair.owner, initializeBody, nil)
		sid := resp.Header.Get("Mcp-Session-Id")
		if resp.StatusCode != http.StatusOK || sid == "" {
			t.Fatalf("initialize: %d %s", resp.StatusCode, body)
		}
		session := map[string]string{"Mcp-Session-Id": sid, "Mcp-Protocol-Version": "2025-11-25"}
		if resp, body := post(t, s.url+"/mcp", pair.other, whoamiCallBody, session); resp.StatusCode != http.StatusForbidden {
			t.Errorf("streamable (%s): another agent in the session: %d %s, want 403", pair.name, resp.StatusCode, body)
		}
		if resp, body := post(t, s.url+"/mcp", pair.owner, whoamiCallBody, session); resp.StatusCode != http.StatusOK {
			t.Errorf("streamable (%s): the owner in its session: %d %s", pair.name, resp.StatusCode, body)
		}
	}
	if n := e.calls.Load(); n != 2 {
		t.Errorf("the tool ran %d times, want 2 (the owners' calls only)", n)
	}
}

// A token whose lifetime exceeds the configured maximum is refused at the
// edge with 401 invalid_token.
func TestOverlongTokensAreRefused(t *testing.T) {
	e := newEcho()
	s := serve(t, e.srv, nil)
	long := token(t, secretA, identity.Claims{Role: caller.Agent, Subject: "a"}) // an hour
	short := serve(t, e.srv, func(c *Config) { c.MaxTokenTTL = 30 * time.Minute })
	if resp, body := post(t, short.url+"/mcp", long, initializeBody, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("an hour-long token under a 30-minute maximum: %d %s, want 401", resp.StatusCode, body)
	}
	if resp, body := post(t, s.url+"/mcp", long, initializeBody, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("the same token under the default maximum: %d %s", resp.StatusCode, body)
	}
}
