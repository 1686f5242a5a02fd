package hosted

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/tools"
)

const (
	secretA = "hosted-test-secret-0123456789abcdef"
	secretB = "another-secret-fedcba9876543210fedcba"
)

// whoami is what the echo tool answers: the caller as tool handlers see it.
type whoami struct {
	Role       string `json:"role"`
	Email      string `json:"email"`
	Connection string `json:"connection"`
}

// echo is a tiny MCP server whose tools report the identity in their
// context and record that they ran.
type echo struct {
	srv     *server.MCPServer
	calls   atomic.Int64
	started chan struct{} // receives when "slow" starts
	release chan struct{} // closing it lets "slow" finish
}

func newEcho() *echo {
	e := &echo{started: make(chan struct{}, 16), release: make(chan struct{})}
	e.srv = server.NewMCPServer("echo", "1", server.WithToolCapabilities(false))
	e.srv.AddTool(mcp.NewTool("whoami"), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		e.calls.Add(1)
		return mcp.NewToolResultText(identityJSON(ctx)), nil
	})
	e.srv.AddTool(mcp.NewTool("slow"), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		e.calls.Add(1)
		e.started <- struct{}{}
		<-e.release
		return mcp.NewToolResultText(identityJSON(ctx)), nil
	})
	return e
}

func identityJSON(ctx context.Context) string {
	var w whoami
	if id, ok := caller.From(ctx); ok {
		w.Role, w.Email = string(id.Role), id.Email
	}
	w.Connection, _ = caller.ConnectionFrom(ctx)
	out, _ := json.Marshal(w)
	return string(out)
}

// testServer is the handler under test behind a real HTTP server.
type testServer struct {
	h   *Handler
	ts  *httptest.Server
	url string
}

// serve starts the handler around srv; edit adjusts the default config
// (BaseURL is the server's own URL, the secret is secretA).
func serve(t *testing.T, srv *server.MCPServer, edit func(*Config)) *testServer {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	secrets, err := Static([]byte(secretA), nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{BaseURL: base, Resolve: secrets, KeepAlive: time.Hour, Logger: slog.New(slog.DiscardHandler)}
	if edit != nil {
		edit(&cfg)
	}
	h, err := New(cfg, srv)
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = h
	ts.Start()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = h.Shutdown(ctx)
		ts.Close()
	})
	return &testServer{h: h, ts: ts, url: base}
}

// withClient binds pc, the one organization's adapter, to every request
// whose token secretA signs, as the server binds the single merchant's.
func withClient(t *testing.T, pc polar.Client) func(*Config) {
	t.Helper()
	secrets, err := Static([]byte(secretA), func(ctx context.Context) context.Context { return tools.WithClient(ctx, pc) })
	if err != nil {
		t.Fatal(err)
	}
	return func(c *Config) { c.Resolve = secrets }
}

func token(t *testing.T, secret string, c identity.Claims) string {
	t.Helper()
	tok, err := identity.Mint([]byte(secret), c, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func customerToken(t *testing.T, email string) string {
	return token(t, secretA, identity.Claims{Role: caller.Customer, Email: email, EmailVerified: true})
}

func agentToken(t *testing.T) string {
	return token(t, secretA, identity.Claims{Role: caller.Agent, Email: "agent@shop.test"})
}

func bearerHeader(tok string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + tok}
}

// connect opens an initialized MCP client on one transport ("sse" or
// "http") at a protocol version.
func connect(t *testing.T, endpoint, kind, version, tok string) *client.Client {
	t.Helper()
	c, err := dial(endpoint, kind, version, tok)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// dial is connect without a test: it reports failure.
func dial(endpoint, kind, version, tok string) (*client.Client, error) {
	var tr transport.Interface
	var err error
	switch kind {
	case "sse":
		tr, err = transport.NewSSE(endpoint+"/sse", transport.WithHeaders(bearerHeader(tok)))
	case "http":
		tr, err = transport.NewStreamableHTTP(endpoint+"/mcp", transport.WithHTTPHeaders(bearerHeader(tok)))
	default:
		err = fmt.Errorf("unknown transport %q", kind)
	}
	if err != nil {
		return nil, err
	}
	c := client.NewClient(tr)
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		c.Close()
		return nil, fmt.Errorf("start %s: %w", kind, err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = version
	init.Params.ClientInfo = mcp.Implementation{Name: "hosted-test", Version: "1"}
	if _, err := c.Initialize(ctx, init); err != nil {
		c.Close()
		return nil, fmt.Errorf("initialize %s %s: %w", kind, version, err)
	}
	if got := c.ProtocolVersion(); got != version {
		c.Close()
		return nil, fmt.Errorf("negotiated protocol %s, want %s", got, version)
	}
	return c, nil
}

// callText calls a tool and returns its text.
func callText(ctx context.Context, c *client.Client, name string) (string, error) {
	text, isError, err := testkit.CallTool(ctx, c, name, nil)
	if err != nil {
		return "", err
	}
	if isError {
		return "", fmt.Errorf("tool error: %s", text)
	}
	return text, nil
}

func callWhoami(t *testing.T, c *client.Client) whoami {
	t.Helper()
	text, err := callText(context.Background(), c, "whoami")
	if err != nil {
		t.Fatal(err)
	}
	var w whoami
	if err := json.Unmarshal([]byte(text), &w); err != nil {
		t.Fatalf("whoami %q: %v", text, err)
	}
	return w
}

// post sends a JSON body with tok and returns the response status and body.
func post(t *testing.T, url, tok, body string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp, string(out)
}

const (
	initializeBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}`
	whoamiCallBody = `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"whoami","arguments":{}}}`
)
