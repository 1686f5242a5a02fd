package hosted

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/tools"
)

// realServer serves polar-mcp's real MCP server, backed by the fake Polar
// API on the demo fixtures.
func realServer(t *testing.T) (*testServer, *fakepolar.Server) {
	return demoMCP(t, tools.Options{Version: "test"}, polar.Config{})
}

// demoMCP serves tools.NewServer(opts) over the fake Polar API on the
// demo fixtures, through a Polar client configured as cfg (its token,
// URL and retry wait are the fake's).
func demoMCP(t *testing.T, opts tools.Options, cfg polar.Config) (*testServer, *fakepolar.Server) {
	t.Helper()
	fake, api := testkit.DemoPolar(t)
	cfg.AccessToken, cfg.ServerURL, cfg.MaxRetryWait = fakepolar.DemoToken, api.URL, -1
	pc, err := polar.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return serve(t, tools.NewServer(tools.Deps{}, opts), withClient(t, pc)), fake
}

func toolNames(t *testing.T, c *client.Client) []string {
	t.Helper()
	res, err := c.ListTools(context.Background(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range res.Tools {
		names = append(names, tool.Name)
	}
	return names
}

// e2eTransports are the transports the end-to-end tests run over.
func e2eTransports() []struct{ kind, version string } {
	return []struct{ kind, version string }{
		{"sse", "2024-11-05"},
		{"http", "2025-11-25"},
		{"http", "2026-07-28"},
	}
}

func TestEndToEndCustomer(t *testing.T) {
	s, _ := realServer(t)
	for _, tr := range e2eTransports() {
		t.Run(tr.kind+"/"+tr.version, func(t *testing.T) {
			c := connect(t, s.url, tr.kind, tr.version, customerToken(t, "Alice@Example.com"))
			names := toolNames(t, c)
			if slices.Contains(names, tools.NameVisitorInsights) {
				t.Errorf("a customer is shown %s: %v", tools.NameVisitorInsights, names)
			}
			if !slices.Contains(names, tools.NameSubscriptionStatus) {
				t.Errorf("a customer is not shown %s: %v", tools.NameSubscriptionStatus, names)
			}
			text, isErr, err := testkit.CallTool(context.Background(), c, tools.NameSubscriptionStatus, nil)
			if err != nil || isErr || !strings.Contains(text, "Pro") || !strings.Contains(text, "€24.00") {
				t.Errorf("alice's subscription status: %q isError=%v err=%v", text, isErr, err)
			}
			text, isErr, err = testkit.CallTool(context.Background(), c, tools.NameVisitorInsights, map[string]any{"email": "bob@example.com"})
			if err == nil && !isErr {
				t.Errorf("a customer called %s: %q", tools.NameVisitorInsights, text)
			}
			if strings.Contains(text, "490") {
				t.Errorf("bob's plan leaked to alice: %q", text)
			}
		})
	}
}

func TestEndToEndAgent(t *testing.T) {
	s, _ := realServer(t)
	for _, tr := range e2eTransports() {
		t.Run(tr.kind+"/"+tr.version, func(t *testing.T) {
			c := connect(t, s.url, tr.kind, tr.version, agentToken(t))
			if names := toolNames(t, c); !slices.Contains(names, tools.NameVisitorInsights) {
				t.Errorf("an agent is not shown %s: %v", tools.NameVisitorInsights, names)
			}
			text, isErr, err := testkit.CallTool(context.Background(), c, tools.NameVisitorInsights, map[string]any{"email": "bob@example.com"})
			if err != nil || isErr || !strings.Contains(text, "$490.00") {
				t.Errorf("agent insights on bob: %q isError=%v err=%v", text, isErr, err)
			}
		})
	}
}

func TestEndToEndRefusalTouchesNoPolarData(t *testing.T) {
	s, fake := realServer(t)
	forged := token(t, secretB, identity.Claims{Role: caller.Agent})
	for _, body := range []string{
		initializeBody,
		`{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"get_visitor_insights","arguments":{"email":"bob@example.com"},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}`,
	} {
		resp, out := post(t, s.url+"/mcp", forged, body, map[string]string{
			"Mcp-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Mcp-Name": "get_visitor_insights",
		})
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("forged token: %d %s", resp.StatusCode, out)
		}
	}
	if n := fake.RequestCount(); n != 0 {
		t.Errorf("Polar received %d requests for refused callers", n)
	}
}
