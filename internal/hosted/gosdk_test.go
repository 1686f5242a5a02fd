package hosted

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/tools"
)

const appURI = "ui://polar-mcp/insights.html"

// appServer is realServer with the agents' app resource, as the hosted
// server has it.
func appServer(t *testing.T) *testServer {
	app := &tools.App{URI: appURI, Name: "insights", MIMEType: "text/html;profile=mcp-app", HTML: func() string { return "<html></html>" }}
	s, _ := demoMCP(t, tools.Options{Version: "test", App: app}, polar.Config{})
	return s
}

// bearerTransport adds a caller token to every request of the official
// Go SDK's client.
type bearerTransport struct{ token string }

func (b bearerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return http.DefaultTransport.RoundTrip(r)
}

// goSDKSession connects the official Go SDK's client over kind ("http" or
// "sse") at version ("": the SDK's latest, 2026-07-28 and its stateless
// requests).
func goSDKSession(t *testing.T, url, kind, version, tok string) *sdk.ClientSession {
	t.Helper()
	hc := &http.Client{Transport: bearerTransport{tok}}
	var tr sdk.Transport = &sdk.StreamableClientTransport{Endpoint: url + "/mcp", HTTPClient: hc, MaxRetries: -1}
	if kind == "sse" {
		tr = &sdk.SSEClientTransport{Endpoint: url + "/sse", HTTPClient: hc}
	}
	c := sdk.NewClient(&sdk.Implementation{Name: "go-sdk-test", Version: "1"}, nil)
	cs, err := c.Connect(context.Background(), tr, &sdk.ClientSessionOptions{ProtocolVersion: version})
	if err != nil {
		t.Fatalf("go-sdk %s: %v", kind, err)
	}
	t.Cleanup(func() { _ = cs.Close() })
	return cs
}

func wireCode(err error) int64 {
	var w *jsonrpc.Error
	if errors.As(err, &w) {
		return w.Code
	}
	return 0
}

// TestGoSDKClient: the official Go SDK's client gets the specification's
// error codes from the real server, can set its log level, and ends its
// Streamable HTTP session with DELETE.
func TestGoSDKClient(t *testing.T) {
	s := appServer(t)
	ctx := context.Background()
	for _, v := range []struct{ kind, version string }{{"http", "2025-11-25"}, {"http", "2025-03-26"}, {"http", ""}, {"sse", "2025-03-26"}} {
		kind := v.kind + " " + v.version
		agent := goSDKSession(t, s.url, v.kind, v.version, agentToken(t))
		customer := goSDKSession(t, s.url, v.kind, v.version, customerToken(t, "bob@example.com"))
		if _, err := agent.GetPrompt(ctx, &sdk.GetPromptParams{Name: tools.PromptSupportReply,
			Arguments: map[string]string{"email": "bob@example.com"}}); wireCode(err) != -32602 {
			t.Errorf("%s: support_reply without question: %v, want -32602", kind, err)
		}
		if _, err := agent.GetPrompt(ctx, &sdk.GetPromptParams{Name: tools.PromptCancellationHelp,
			Arguments: map[string]string{"email": "nobody"}}); wireCode(err) != -32602 {
			t.Errorf("%s: cancellation_help with a bad email: %v, want -32602", kind, err)
		}
		notFound := int64(-32002)
		if v.version == "" {
			notFound = -32602 // 2026-07-28 reports a missing resource as invalid params
		}
		if _, err := customer.ReadResource(ctx, &sdk.ReadResourceParams{URI: appURI}); wireCode(err) != notFound {
			t.Errorf("%s: a customer reading the agents' resource: %v (%d), want %d", kind, err, wireCode(err), notFound)
		}
		if _, err := agent.ReadResource(ctx, &sdk.ReadResourceParams{URI: appURI}); err != nil {
			t.Errorf("%s: the agent reading its resource: %v", kind, err)
		}
		if v.version != "" { // 2026-07-28 has no logging/setLevel: the level goes in each request's _meta
			//lint:ignore SA1019 logging is deprecated from 2026-07-28 on, and what the versions before it offer
			if err := customer.SetLoggingLevel(ctx, &sdk.SetLoggingLevelParams{Level: "info"}); err != nil {
				t.Errorf("%s: logging/setLevel: %v", kind, err)
			}
		}
		res, err := customer.CallTool(ctx, &sdk.CallToolParams{Name: tools.NameSubscriptionStatus, Arguments: map[string]any{}})
		if err != nil || res.IsError {
			t.Errorf("%s: %s: %v %+v", kind, tools.NameSubscriptionStatus, err, res)
		}
	}

	cs := goSDKSession(t, s.url, "http", "2025-11-25", customerToken(t, "bob@example.com"))
	sid := cs.ID()
	if err := cs.Close(); err != nil {
		t.Fatal(err)
	}
	resp, body := post(t, s.url+"/mcp", customerToken(t, "bob@example.com"), pingBody, sessionHeader(sid, "2025-11-25"))
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "ended") {
		t.Errorf("ping on the Go SDK's closed session: %d %s, want 404", resp.StatusCode, body)
	}
}
