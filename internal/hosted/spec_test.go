package hosted

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// specServer is echo with a prompt whose argument is required and checked,
// and a resource only agents may read.
func specServer() *echo {
	e := newEcho()
	e.srv = server.NewMCPServer("spec", "1", server.WithToolCapabilities(false),
		server.WithPromptCapabilities(false), server.WithResourceCapabilities(false, false))
	e.srv.AddTool(mcp.NewTool("whoami"), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		e.calls.Add(1)
		return mcp.NewToolResultText(identityJSON(ctx)), nil
	})
	e.srv.AddPrompt(mcp.NewPrompt("greet", mcp.WithArgument("who", mcp.RequiredArgument())),
		func(_ context.Context, req mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			if who := req.Params.Arguments["who"]; !strings.Contains(who, "@") {
				return nil, fmt.Errorf("who must be an email address: %w", mcp.ErrInvalidParams)
			}
			return mcp.NewGetPromptResult("greet", []mcp.PromptMessage{
				mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent("hello "+req.Params.Arguments["who"]))}), nil
		})
	e.srv.AddResource(mcp.NewResource("ui://app", "app"), func(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
		if id, _ := caller.From(ctx); id.Role != caller.Agent {
			return nil, fmt.Errorf("handler not found for resource URI '%s': %w", req.Params.URI, mcp.ErrResourceNotFound)
		}
		return []mcp.ResourceContents{mcp.TextResourceContents{URI: req.Params.URI, Text: "app"}}, nil
	})
	return e
}

// rawSession initializes a Streamable HTTP session by hand at version and
// returns its id.
func rawSession(t *testing.T, url, tok, version string) string {
	t.Helper()
	body := fmt.Sprintf(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":%q,"capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}`, version)
	resp, out := post(t, url+"/mcp", tok, body, nil)
	sid := resp.Header.Get(server.HeaderKeySessionID)
	if resp.StatusCode != http.StatusOK || sid == "" {
		t.Fatalf("initialize: %d %s (session %q)", resp.StatusCode, out, sid)
	}
	return sid
}

func sessionHeader(sid, version string) map[string]string {
	h := map[string]string{server.HeaderKeySessionID: sid}
	if version != "" {
		h[mcp.HeaderProtocolVersion] = version
	}
	return h
}

func do(t *testing.T, method, url, tok string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp, string(out)
}

const pingBody = `{"jsonrpc":"2.0","id":5,"method":"ping"}`

func TestDeleteEndsTheSessionAndClosesItsStream(t *testing.T) {
	s := serve(t, newEcho().srv, nil)
	tok := customerToken(t, "alice@example.com")
	sid := rawSession(t, s.url, tok, "2025-11-25")
	hdr := sessionHeader(sid, "2025-11-25")

	req, _ := http.NewRequest(http.MethodGet, s.url+"/mcp", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept", "text/event-stream")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	stream, err := http.DefaultClient.Do(req)
	if err != nil || stream.StatusCode != http.StatusOK {
		t.Fatalf("GET stream: %v %v", stream, err)
	}
	defer stream.Body.Close()
	closed := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, stream.Body)
		close(closed)
	}()

	if resp, body := post(t, s.url+"/mcp", tok, pingBody, hdr); resp.StatusCode != http.StatusOK {
		t.Fatalf("ping before DELETE: %d %s", resp.StatusCode, body)
	}
	if resp, body := do(t, http.MethodDelete, s.url+"/mcp", tok, hdr); resp.StatusCode != http.StatusOK {
		t.Fatalf("DELETE: %d %s", resp.StatusCode, body)
	}
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Error("the session's GET stream stayed open after DELETE")
	}
	for _, wait := range []time.Duration{0, 1500 * time.Millisecond} {
		time.Sleep(wait)
		if resp, body := post(t, s.url+"/mcp", tok, pingBody, hdr); resp.StatusCode != http.StatusNotFound {
			t.Errorf("ping %v after DELETE: %d %s, want 404", wait, resp.StatusCode, body)
		}
		if resp, body := post(t, s.url+"/mcp", tok, whoamiCallBody, hdr); resp.StatusCode != http.StatusNotFound {
			t.Errorf("tools/call %v after DELETE: %d %s, want 404", wait, resp.StatusCode, body)
		}
	}
	if resp, _ := do(t, http.MethodGet, s.url+"/mcp", tok, hdr); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET stream after DELETE: %d, want 404", resp.StatusCode)
	}
	if resp, _ := do(t, http.MethodDelete, s.url+"/mcp", tok, hdr); resp.StatusCode != http.StatusNotFound {
		t.Errorf("second DELETE: %d, want 404", resp.StatusCode)
	}
	// Another session of the same caller is unaffected.
	other := sessionHeader(rawSession(t, s.url, tok, "2025-11-25"), "2025-11-25")
	if resp, body := post(t, s.url+"/mcp", tok, pingBody, other); resp.StatusCode != http.StatusOK {
		t.Errorf("another session after DELETE: %d %s", resp.StatusCode, body)
	}
}

func TestSessionErrors(t *testing.T) {
	s := serve(t, newEcho().srv, nil)
	alice, mallory := customerToken(t, "alice@example.com"), customerToken(t, "mallory@example.com")
	sid := rawSession(t, s.url, alice, "2025-11-25")
	nonce, rest, _ := strings.Cut(sid, ".")
	tag, stamp, _ := strings.Cut(rest, ".")
	flip := func(s string) string {
		if s == "" {
			return "A"
		}
		if s[0] == 'A' {
			return "B" + s[1:]
		}
		return "A" + s[1:]
	}
	cases := []struct {
		name string
		tok  string
		sid  string
		want int
	}{
		{"no session id", alice, "", http.StatusBadRequest},
		{"made-up id", alice, "not-a-session", http.StatusNotFound},
		{"made-up three-part id", alice, "abc.def.ghi", http.StatusNotFound},
		{"tampered nonce", alice, flip(nonce) + "." + tag + "." + stamp, http.StatusNotFound},
		{"tampered tag", alice, nonce + "." + flip(tag) + "." + stamp, http.StatusNotFound},
		{"tampered stamp", alice, nonce + "." + tag + "." + flip(stamp), http.StatusNotFound},
		{"another caller's real session", mallory, sid, http.StatusForbidden},
		{"own session", alice, sid, http.StatusOK},
	}
	for _, c := range cases {
		hdr := map[string]string{mcp.HeaderProtocolVersion: "2025-11-25"}
		if c.sid != "" {
			hdr[server.HeaderKeySessionID] = c.sid
		}
		if resp, body := post(t, s.url+"/mcp", c.tok, pingBody, hdr); resp.StatusCode != c.want {
			t.Errorf("POST ping, %s: %d %s, want %d", c.name, resp.StatusCode, body, c.want)
		}
		if c.sid == "" || c.want == http.StatusOK {
			continue
		}
		for _, method := range []string{http.MethodGet, http.MethodDelete} {
			if resp, body := do(t, method, s.url+"/mcp", c.tok, hdr); resp.StatusCode != c.want {
				t.Errorf("%s, %s: %d %s, want %d", method, c.name, resp.StatusCode, body, c.want)
			}
		}
	}
	// A notification without a session id is refused the same way.
	if resp, body := post(t, s.url+"/mcp", alice, `{"jsonrpc":"2.0","method":"notifications/initialized"}`, nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("notification without session id: %d %s, want 400", resp.StatusCode, body)
	}
	if resp, body := do(t, http.MethodDelete, s.url+"/mcp", alice, nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("DELETE without session id: %d %s, want 400", resp.StatusCode, body)
	}
	// A legacy SSE POST naming a stream that was never opened.
	if resp, body := post(t, s.url+"/message?sessionId=abc.def.ghi", alice, pingBody, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("SSE POST for a made-up session: %d %s, want 404", resp.StatusCode, body)
	}
}

func TestUnsupportedMethodsAre405WithAllow(t *testing.T) {
	s := serve(t, newEcho().srv, nil)
	tok := customerToken(t, "alice@example.com")
	cases := []struct{ path, method, allow string }{
		{"/mcp", http.MethodPut, "GET, POST, DELETE"},
		{"/mcp", http.MethodPatch, "GET, POST, DELETE"},
		{"/sse", http.MethodPost, "GET"},
		{"/sse", http.MethodPut, "GET"},
		{"/message", http.MethodGet, "POST"},
		{"/message", http.MethodPut, "POST"},
	}
	for _, c := range cases {
		resp, body := do(t, c.method, s.url+c.path, tok, nil)
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != c.allow {
			t.Errorf("%s %s: %d Allow %q %s, want 405 Allow %q", c.method, c.path,
				resp.StatusCode, resp.Header.Get("Allow"), body, c.allow)
		}
		// Without a token, the token is what is missing.
		if resp, body := do(t, c.method, s.url+c.path, "", nil); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s %s without a token: %d %s, want 401", c.method, c.path, resp.StatusCode, body)
		}
	}
}

// rpcError is the error of a JSON-RPC answer, from a JSON body or the
// first message event of an SSE body.
func rpcError(t *testing.T, body string) *mcp.JSONRPCErrorDetails {
	t.Helper()
	if i := strings.Index(body, "data: "); i >= 0 {
		body, _, _ = strings.Cut(body[i+len("data: "):], "\n")
	}
	var m struct {
		Error *mcp.JSONRPCErrorDetails `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("answer %q: %v", body, err)
	}
	return m.Error
}

func TestErrorCodesOverStreamableHTTP(t *testing.T) {
	e := specServer()
	s := serve(t, e.srv, nil)
	customer, agent := customerToken(t, "alice@example.com"), agentToken(t)
	raw := func(tok, method, params string) *mcp.JSONRPCErrorDetails {
		sid := rawSession(t, s.url, tok, "2025-11-25")
		body := fmt.Sprintf(`{"jsonrpc":"2.0","id":3,"method":%q,"params":%s}`, method, params)
		if params == "" {
			body = fmt.Sprintf(`{"jsonrpc":"2.0","id":3,"method":%q}`, method)
		}
		resp, out := post(t, s.url+"/mcp", tok, body, sessionHeader(sid, "2025-11-25"))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: %d %s", method, params, resp.StatusCode, out)
		}
		return rpcError(t, out)
	}
	cases := []struct {
		name, tok, method, params string
		want                      int
	}{
		{"prompt without its required argument", agent, "prompts/get", `{"name":"greet"}`, mcp.INVALID_PARAMS},
		{"prompt with a blank required argument", agent, "prompts/get", `{"name":"greet","arguments":{"who":" "}}`, mcp.INVALID_PARAMS},
		{"prompt with an invalid argument", agent, "prompts/get", `{"name":"greet","arguments":{"who":"bob"}}`, mcp.INVALID_PARAMS},
		{"prompt with a non-string argument", agent, "prompts/get", `{"name":"greet","arguments":{"who":7}}`, mcp.INVALID_PARAMS},
		{"prompt arguments not an object", agent, "prompts/get", `{"name":"greet","arguments":"x"}`, mcp.INVALID_PARAMS},
		{"prompt without a name", agent, "prompts/get", `{}`, mcp.INVALID_PARAMS},
		{"customer reading the agents' resource", customer, "resources/read", `{"uri":"ui://app"}`, mcp.RESOURCE_NOT_FOUND},
		{"resources/read without uri", agent, "resources/read", `{}`, mcp.INVALID_PARAMS},
		{"resources/read without params", agent, "resources/read", ``, mcp.INVALID_PARAMS},
		{"resources/read of an unknown uri", agent, "resources/read", `{"uri":"ui://nothing"}`, mcp.RESOURCE_NOT_FOUND},
		{"tools/call arguments a string", customer, "tools/call", `{"name":"whoami","arguments":"x"}`, mcp.INVALID_PARAMS},
		{"tools/call arguments an array", customer, "tools/call", `{"name":"whoami","arguments":[1]}`, mcp.INVALID_PARAMS},
		{"tools/call without a name", customer, "tools/call", `{"arguments":{}}`, mcp.INVALID_PARAMS},
	}
	for _, c := range cases {
		if got := raw(c.tok, c.method, c.params); got == nil || got.Code != c.want {
			t.Errorf("%s: %+v, want code %d", c.name, got, c.want)
		}
	}
	if n := e.calls.Load(); n != 0 {
		t.Errorf("a tool ran %d times for calls whose arguments were not an object", n)
	}
	if got := raw(agent, "prompts/get", `{"name":"greet","arguments":{"who":"bob@example.com"}}`); got != nil {
		t.Errorf("a valid prompts/get failed: %+v", got)
	}
	// initialize without params.
	for _, body := range []string{`{"jsonrpc":"2.0","id":1,"method":"initialize"}`, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":null}`} {
		resp, out := post(t, s.url+"/mcp", customer, body, nil)
		if got := rpcError(t, out); got == nil || got.Code != mcp.INVALID_PARAMS || resp.Header.Get(server.HeaderKeySessionID) != "" {
			t.Errorf("%s: %d %s, want -32602 and no session", body, resp.StatusCode, out)
		}
	}
}

// TestErrorCodesThroughClients: the same codes reach mcp-go's client over
// Streamable HTTP and legacy SSE (where the answer travels on the stream).
func TestErrorCodesThroughClients(t *testing.T) {
	s := serve(t, specServer().srv, nil)
	for _, kind := range []struct{ transport, version string }{{"http", "2025-11-25"}, {"http", "2025-03-26"}, {"sse", "2024-11-05"}} {
		agent := connect(t, s.url, kind.transport, kind.version, agentToken(t))
		customer := connect(t, s.url, kind.transport, kind.version, customerToken(t, "alice@example.com"))
		ctx := context.Background()
		var get mcp.GetPromptRequest
		get.Params.Name = "greet"
		if _, err := agent.GetPrompt(ctx, get); !errors.Is(err, mcp.ErrInvalidParams) {
			t.Errorf("%s: prompt without its argument: %v, want -32602", kind.transport, err)
		}
		get.Params.Arguments = map[string]string{"who": "bob"}
		if _, err := agent.GetPrompt(ctx, get); !errors.Is(err, mcp.ErrInvalidParams) {
			t.Errorf("%s: prompt with an invalid argument: %v, want -32602", kind.transport, err)
		}
		var read mcp.ReadResourceRequest
		read.Params.URI = "ui://app"
		if _, err := customer.ReadResource(ctx, read); !errors.Is(err, mcp.ErrResourceNotFound) {
			t.Errorf("%s: customer reading ui://app: %v, want -32002", kind.transport, err)
		}
		if _, err := agent.ReadResource(ctx, read); err != nil {
			t.Errorf("%s: agent reading ui://app: %v", kind.transport, err)
		}
		read.Params.URI = ""
		if _, err := agent.ReadResource(ctx, read); !errors.Is(err, mcp.ErrInvalidParams) {
			t.Errorf("%s: resources/read without uri: %v, want -32602", kind.transport, err)
		}
	}
}

func TestBatchesFollowTheNegotiatedVersion(t *testing.T) {
	e := specServer()
	s := serve(t, e.srv, nil)
	tok := customerToken(t, "alice@example.com")
	batch := `[{"jsonrpc":"2.0","id":"a","method":"ping"},` + whoamiCallBody + `,` +
		`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"zz"}},` +
		`{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"whoami","arguments":"x"}}]`
	for _, v := range []struct{ initialize, header string }{{"2025-03-26", ""}, {"2025-03-26", "2025-03-26"}, {"", ""}} {
		sid := rawSession(t, s.url, tok, v.initialize)
		resp, out := post(t, s.url+"/mcp", tok, batch, sessionHeader(sid, v.header))
		var answers []struct {
			ID     any                      `json:"id"`
			Result json.RawMessage          `json:"result"`
			Error  *mcp.JSONRPCErrorDetails `json:"error"`
		}
		if resp.StatusCode != http.StatusOK || json.Unmarshal([]byte(out), &answers) != nil {
			t.Fatalf("batch on %q: %d %s", v.initialize, resp.StatusCode, out)
		}
		byID := map[string]int{}
		for i, a := range answers {
			byID[fmt.Sprint(a.ID)] = i
		}
		if len(answers) != 3 || answers[byID["a"]].Error != nil || answers[byID["7"]].Error != nil ||
			!strings.Contains(string(answers[byID["7"]].Result), "alice@example.com") ||
			answers[byID["9"]].Error == nil || answers[byID["9"]].Error.Code != mcp.INVALID_PARAMS {
			t.Errorf("batch on %q (header %q): %s", v.initialize, v.header, out)
		}
		notes := `[{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"zz"}}]`
		if resp, out := post(t, s.url+"/mcp", tok, notes, sessionHeader(sid, v.header)); resp.StatusCode != http.StatusAccepted {
			t.Errorf("batch of notifications: %d %s, want 202", resp.StatusCode, out)
		}
	}
	for _, v := range []string{"2025-06-18", "2025-11-25"} {
		sid := rawSession(t, s.url, tok, v)
		resp, out := post(t, s.url+"/mcp", tok, batch, sessionHeader(sid, v))
		if got := rpcError(t, out); resp.StatusCode != http.StatusBadRequest || got == nil || got.Code != mcp.INVALID_REQUEST {
			t.Errorf("batch on %s: %d %s, want 400 -32600", v, resp.StatusCode, out)
		}
	}
	sid := rawSession(t, s.url, tok, "2025-03-26")
	if resp, out := post(t, s.url+"/mcp", tok, "["+initializeBody+"]", sessionHeader(sid, "")); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("initialize in a batch: %d %s, want 400", resp.StatusCode, out)
	}
	if resp, out := post(t, s.url+"/mcp", tok, "[]", sessionHeader(sid, "")); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("empty batch: %d %s, want 400", resp.StatusCode, out)
	}
	if n := e.calls.Load(); n != 3 {
		t.Errorf("whoami ran %d times, want 3 (once per accepted batch)", n)
	}
}

func TestClientResponsesAreAccepted(t *testing.T) {
	s := serve(t, newEcho().srv, nil)
	tok := customerToken(t, "alice@example.com")
	sid := rawSession(t, s.url, tok, "2025-11-25")
	for _, body := range []string{
		`{"jsonrpc":"2.0","id":99,"result":{}}`,
		`{"jsonrpc":"2.0","id":99,"result":{"content":[]}}`,
		`{"jsonrpc":"2.0","id":99,"error":{"code":-32601,"message":"no such method"}}`,
		`{"jsonrpc":"2.0","id":"x","error":{"code":-1,"message":"nope"}}`,
	} {
		if resp, out := post(t, s.url+"/mcp", tok, body, sessionHeader(sid, "2025-11-25")); resp.StatusCode != http.StatusAccepted {
			t.Errorf("%s: %d %s, want 202", body, resp.StatusCode, out)
		}
	}
}
