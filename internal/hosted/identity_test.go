package hosted

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/mark3labs/mcp-go/client"

	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// transports are the transport and protocol combinations clients use.
func transports() []struct{ kind, version string } {
	return []struct{ kind, version string }{
		{"sse", "2024-11-05"},
		{"sse", "2025-11-25"},
		{"http", "2025-03-26"},
		{"http", "2025-11-25"},
		{"http", "2026-07-28"},
	}
}

func TestToolsSeeTheTokensIdentity(t *testing.T) {
	e := newEcho()
	s := serve(t, e.srv, nil)
	for _, tr := range transports() {
		t.Run(tr.kind+"/"+tr.version, func(t *testing.T) {
			c := connect(t, s.url, tr.kind, tr.version, customerToken(t, " Alice@Example.COM"))
			if got, want := callWhoami(t, c), (whoami{Role: "customer", Email: "alice@example.com"}); got != want {
				t.Errorf("customer: tool saw %+v, want %+v", got, want)
			}
			c = connect(t, s.url, tr.kind, tr.version, agentToken(t))
			if got, want := callWhoami(t, c), (whoami{Role: "agent", Email: "agent@shop.test"}); got != want {
				t.Errorf("agent: tool saw %+v, want %+v", got, want)
			}
		})
	}
}

// badTokens are tokens every MCP request must be refused with.
func badTokens(t *testing.T) map[string]string {
	now := time.Now()
	claims := func(extra jwt.MapClaims) jwt.MapClaims {
		c := jwt.MapClaims{"iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
		for k, v := range extra {
			c[k] = v
		}
		return c
	}
	sign := func(m jwt.SigningMethod, key any, c jwt.MapClaims) string {
		tok, err := jwt.NewWithClaims(m, c).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	expired, err := identity.Mint([]byte(secretA), identity.Claims{Role: caller.Agent}, time.Hour, now.Add(-3*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"missing token":          "",
		"not a jwt":              "not-a-jwt",
		"other secret":           token(t, secretB, identity.Claims{Role: caller.Agent}),
		"expired":                expired,
		"alg none":               sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims(jwt.MapClaims{"role": "agent"})),
		"unverified email":       sign(jwt.SigningMethodHS256, []byte(secretA), claims(jwt.MapClaims{"role": "customer", "email": "a@b.c"})),
		"unknown role":           sign(jwt.SigningMethodHS256, []byte(secretA), claims(jwt.MapClaims{"role": "admin", "email": "a@b.c", "email_verified": true})),
		"customer without email": sign(jwt.SigningMethodHS256, []byte(secretA), claims(jwt.MapClaims{"role": "customer", "email_verified": true})),
		"ROLE beside role":       sign(jwt.SigningMethodHS256, []byte(secretA), claims(jwt.MapClaims{"role": "customer", "ROLE": "agent", "email": "a@b.c", "email_verified": true})),
		"Email_Verified":         sign(jwt.SigningMethodHS256, []byte(secretA), claims(jwt.MapClaims{"role": "customer", "email": "a@b.c", "email_verified": false, "Email_Verified": true})),
		"EXP":                    sign(jwt.SigningMethodHS256, []byte(secretA), jwt.MapClaims{"role": "agent", "EXP": now.Add(time.Hour).Unix()}),
		"a year long":            sign(jwt.SigningMethodHS256, []byte(secretA), claims(jwt.MapClaims{"role": "agent", "exp": now.Add(365 * 24 * time.Hour).Unix()})),
		"display-name email":     sign(jwt.SigningMethodHS256, []byte(secretA), claims(jwt.MapClaims{"role": "customer", "email": "Eve <a@b.c>", "email_verified": true})),
		"crit header":            critToken(t, now),
	}
}

// critToken is an otherwise valid agent token with a crit header.
func critToken(t *testing.T, now time.Time) string {
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"role": "agent", "exp": now.Add(time.Hour).Unix()})
	tok.Header["crit"] = []string{"exp"}
	s, err := tok.SignedString([]byte(secretA))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// checkUnauthorized asserts a 401 with a WWW-Authenticate challenge
// pointing at the resource metadata and saying why in error_description,
// and a JSON body explaining it.
func checkUnauthorized(t *testing.T, resp *http.Response, body, metadataURL string, missing bool) {
	t.Helper()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("status %d, want 401 (body %s)", resp.StatusCode, body)
	}
	challenge := resp.Header.Get("WWW-Authenticate")
	if !strings.HasPrefix(challenge, `Bearer resource_metadata="`+metadataURL+`"`) {
		t.Errorf("WWW-Authenticate = %q, want resource_metadata=%q", challenge, metadataURL)
	}
	if !strings.Contains(challenge, `error_description="`) || strings.Count(challenge, `"`)%2 != 0 {
		t.Errorf("WWW-Authenticate = %q, want an error_description", challenge)
	}
	if invalid := strings.Contains(challenge, `error="invalid_token"`); invalid == missing {
		t.Errorf("WWW-Authenticate = %q: invalid_token should be there exactly when a token was sent", challenge)
	}
	var b errorBody
	if err := json.Unmarshal([]byte(body), &b); err != nil || b.Error == "" || b.Description == "" {
		t.Errorf("body %q is not a JSON error with a description", body)
	}
}

func TestEveryRequestWithABadTokenIsRefused(t *testing.T) {
	e := newEcho()
	s := serve(t, e.srv, nil)
	metadata := s.url + "/.well-known/oauth-protected-resource"
	good := openStream(t, s.url, "/sse", agentToken(t)) // a real session to POST to
	for name, tok := range badTokens(t) {
		t.Run(name, func(t *testing.T) {
			missing := tok == ""
			req, _ := http.NewRequest(http.MethodGet, s.url+"/sse", nil)
			if !missing {
				req.Header.Set("Authorization", "Bearer "+tok)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			checkUnauthorized(t, resp, readAll(resp), metadata, missing)

			resp, out := post(t, good.endpoint, tok, whoamiCallBody, nil)
			checkUnauthorized(t, resp, out, metadata, missing)

			resp, out = post(t, s.url+"/mcp", tok, initializeBody, nil)
			checkUnauthorized(t, resp, out, metadata, missing)

			resp, out = post(t, s.url+"/mcp", tok, `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami","_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}`,
				map[string]string{"Mcp-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Mcp-Name": "whoami"})
			checkUnauthorized(t, resp, out, metadata, missing)
		})
	}
	if n := e.calls.Load(); n != 0 {
		t.Errorf("a tool ran %d times for refused requests", n)
	}
}

func TestClientsWithABadTokenCannotConnect(t *testing.T) {
	e := newEcho()
	s := serve(t, e.srv, nil)
	expired, err := identity.Mint([]byte(secretA), identity.Claims{Role: caller.Agent}, time.Hour, time.Now().Add(-2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range transports() {
		t.Run(tr.kind+"/"+tr.version, func(t *testing.T) {
			if c, err := dial(s.url, tr.kind, tr.version, expired); err == nil {
				c.Close()
				t.Error("a client with an expired token connected")
			}
		})
	}
	if n := e.calls.Load(); n != 0 {
		t.Errorf("a tool ran %d times", n)
	}
}

func TestSSEStreamCannotCarryAnotherCallersCalls(t *testing.T) {
	e := newEcho()
	s := serve(t, e.srv, nil)
	alice := customerToken(t, "alice@example.com")
	st := openStream(t, s.url, "/sse", alice)

	others := map[string]string{
		"another customer":           customerToken(t, "mallory@example.com"),
		"an agent":                   agentToken(t),
		"same email, agent role":     token(t, secretA, identity.Claims{Role: caller.Agent, Email: "alice@example.com"}),
		"same email, other secret":   token(t, secretB, identity.Claims{Role: caller.Customer, Email: "alice@example.com", EmailVerified: true}),
		"same email, no valid token": "",
	}
	for name, tok := range others {
		resp, body := post(t, st.endpoint, tok, whoamiCallBody, nil)
		if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: POST on alice's stream got %d %s, want 403 or 401", name, resp.StatusCode, body)
		}
	}
	if resp, body := post(t, st.endpoint, customerToken(t, "mallory@example.com"), whoamiCallBody, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("another customer's POST: %d %s, want 403", resp.StatusCode, body)
	}
	if n := e.calls.Load(); n != 0 {
		t.Fatalf("the tool ran %d times for other callers", n)
	}

	// Alice herself, with a freshly minted token, is served on her stream.
	fresh := token(t, secretA, identity.Claims{Role: caller.Customer, Email: "ALICE@example.com", EmailVerified: true})
	for _, body := range []string{
		initializeBody,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`,
		whoamiCallBody,
	} {
		if resp, out := post(t, st.endpoint, fresh, body, nil); resp.StatusCode != http.StatusAccepted {
			t.Fatalf("alice's POST: %d %s", resp.StatusCode, out)
		}
	}
	for {
		ev := st.next(t)
		var msg struct {
			ID     int `json:"id"`
			Result struct {
				Content []struct{ Text string } `json:"content"`
			} `json:"result"`
		}
		if ev.name != "message" || json.Unmarshal([]byte(ev.data), &msg) != nil || msg.ID != 7 {
			continue
		}
		if len(msg.Result.Content) != 1 || msg.Result.Content[0].Text != `{"role":"customer","email":"alice@example.com","connection":""}` {
			t.Errorf("alice's call answered %s", ev.data)
		}
		break
	}
}

func TestStreamableSessionIsBoundToItsCaller(t *testing.T) {
	e := newEcho()
	s := serve(t, e.srv, nil)
	alice, mallory := customerToken(t, "alice@example.com"), customerToken(t, "mallory@example.com")
	resp, body := post(t, s.url+"/mcp", alice, initializeBody, nil)
	sid := resp.Header.Get("Mcp-Session-Id")
	if resp.StatusCode != http.StatusOK || sid == "" {
		t.Fatalf("initialize: %d %s, session %q", resp.StatusCode, body, sid)
	}
	session := map[string]string{"Mcp-Session-Id": sid, "Mcp-Protocol-Version": "2025-11-25"}

	resp, body = post(t, s.url+"/mcp", mallory, whoamiCallBody, session)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("mallory using alice's session: %d %s, want 403", resp.StatusCode, body)
	}
	req, _ := http.NewRequest(http.MethodGet, s.url+"/mcp", nil)
	req.Header.Set("Authorization", "Bearer "+mallory)
	req.Header.Set("Mcp-Session-Id", sid)
	req.Header.Set("Accept", "text/event-stream")
	if resp, err := http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	} else if resp.StatusCode != http.StatusForbidden {
		t.Errorf("mallory listening on alice's session: %d, want 403", resp.StatusCode)
		resp.Body.Close()
	}
	if n := e.calls.Load(); n != 0 {
		t.Fatalf("the tool ran %d times for mallory", n)
	}

	resp, body = post(t, s.url+"/mcp", alice, whoamiCallBody, session)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `alice@example.com`) {
		t.Errorf("alice in her session: %d %s", resp.StatusCode, body)
	}
}

func TestConcurrentCallersSeeOnlyThemselves(t *testing.T) {
	e := newEcho()
	s := serve(t, e.srv, nil)
	type peer struct {
		kind, version, token string
		want                 whoami
	}
	var callers []peer
	for i := range 24 {
		tr := transports()[i%len(transports())]
		c := peer{kind: tr.kind, version: tr.version}
		if i%4 == 3 {
			c.token = token(t, secretA, identity.Claims{Role: caller.Agent, Email: fmt.Sprintf("agent%d@shop.test", i)})
			c.want = whoami{Role: "agent", Email: fmt.Sprintf("agent%d@shop.test", i)}
		} else {
			c.token = customerToken(t, fmt.Sprintf("customer%d@example.com", i))
			c.want = whoami{Role: "customer", Email: fmt.Sprintf("customer%d@example.com", i)}
		}
		callers = append(callers, c)
	}
	clients := make([]*client.Client, len(callers))
	for i, c := range callers {
		clients[i] = connect(t, s.url, c.kind, c.version, c.token)
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(callers)*10)
	for i, c := range callers {
		cl := clients[i]
		wg.Go(func() {
			for range 10 {
				text, err := callText(context.Background(), cl, "whoami")
				if err != nil {
					errs <- fmt.Errorf("%s %s: %v", c.kind, c.want.Email, err)
					return
				}
				var got whoami
				if err := json.Unmarshal([]byte(text), &got); err != nil || got != c.want {
					errs <- fmt.Errorf("%s/%s caller %s saw %s", c.kind, c.version, c.want.Email, text)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func readAll(resp *http.Response) string {
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
