package tools_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
	"github.com/polar-mcp/polar-mcp/tools"
)

// testToken is the organization token the fake accepts in these tests.
const testToken = "polar_oat_tools_test_token_5ecret"

// env is one organization served by the fake Polar API behind the real
// adapter and the real MCP server.
type env struct {
	fake   *fakepolar.Server
	srv    *server.MCPServer
	client polar.Client // bound to every call's context, as the edge does
}

type envOptions struct {
	fixtures  fs.FS    // fixture directory, default fakepolar.DemoFS()
	scopes    []string // token scopes, default all
	readOnly  bool
	token     string        // token the adapter sends, default testToken
	retryWait time.Duration // longest wait on a 429; default: never wait
	cached    bool          // wrap the adapter in its cache, as the commands do
	// billingTTL is the cache's BillingTTL (with cached).
	billingTTL time.Duration
	// wrap, when set, stands between the adapter and the fake (an
	// upstream that rewrites answers).
	wrap       func(http.Handler) http.Handler
	logger     *slog.Logger   // default: discard
	portalHost string         // tools.Deps.PortalHost
	timeout    time.Duration  // bound on each upstream request; default polar's
	observer   tools.Observer // tools.Deps.Observer; default none
}

func newEnv(t testing.TB, o envOptions) *env {
	t.Helper()
	if o.fixtures == nil {
		o.fixtures = fakepolar.DemoFS()
	}
	if o.scopes == nil {
		o.scopes = fakepolar.AllScopes()
	}
	if o.token == "" {
		o.token = testToken
	}
	fake, err := fakepolar.New(o.fixtures, fakepolar.Options{
		Tokens: map[string][]string{testToken: o.scopes},
	})
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = fake
	if o.wrap != nil {
		h = o.wrap(fake)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	if o.retryWait == 0 {
		o.retryWait = -1
	}
	// No client-side rate limit: these tests are about the tools, and the
	// limiter has its own tests in package polar.
	sdk, err := polar.New(polar.Config{AccessToken: o.token, ServerURL: ts.URL, MaxRetryWait: o.retryWait, RequestsPerMinute: -1, Timeout: o.timeout})
	if err != nil {
		t.Fatal(err)
	}
	var pc polar.Client = sdk
	if o.cached {
		pc = cache.New(sdk, cache.Config{BillingTTL: o.billingTTL})
	}
	if o.logger == nil {
		o.logger = slog.New(slog.DiscardHandler)
	}
	deps := tools.Deps{Logger: o.logger, PortalHost: o.portalHost, Observer: o.observer}
	return &env{fake: fake, client: pc, srv: tools.NewServer(deps, tools.Options{ReadOnly: o.readOnly, App: insightsApp()})}
}

// customer is the operator's own stdio session acting as the customer
// email (as caller.Configured makes it); a caller token's customer
// is a visitor (see visitor_setup_test.go).
func customer(email string) *caller.Identity {
	return &caller.Identity{Role: caller.Customer, Email: email, Operator: true}
}

func agent() *caller.Identity { return &caller.Identity{Role: caller.Agent} }

// session opens an in-process MCP client session acting as id (nil: no
// identity).
func (e *env) session(t testing.TB, id *caller.Identity) (*client.Client, context.Context) {
	t.Helper()
	ctx := tools.WithClient(context.Background(), e.client)
	if id != nil {
		ctx = caller.With(ctx, *id)
	}
	c, err := client.NewInProcessClient(e.srv)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "tools-test", Version: "1"}
	if _, err := c.Initialize(ctx, init); err != nil {
		t.Fatal(err)
	}
	return c, ctx
}

// call runs one tool as id and returns its result.
func (e *env) call(t *testing.T, id *caller.Identity, name string, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	res, err := e.tryCall(t, id, name, args)
	if err != nil {
		t.Fatalf("CallTool(%s) protocol error: %v", name, err)
	}
	if !res.IsError {
		e.checkOutputSchema(t, name, res)
	}
	return res
}

// checkOutputSchema validates a result's structured content against the
// output schema the tool advertises, so every test also checks the contract.
func (e *env) checkOutputSchema(t *testing.T, name string, res *mcp.CallToolResult) {
	t.Helper()
	st := e.srv.GetTool(name)
	if st == nil {
		t.Fatalf("no tool %s", name)
	}
	var schema jsonschema.Schema
	if err := json.Unmarshal([]byte(jsonString(t, outputSchema(st.Tool))), &schema); err != nil {
		t.Fatal(err)
	}
	resolved, err := schema.Resolve(nil)
	if err != nil {
		t.Fatal(err)
	}
	var instance any
	if err := json.Unmarshal([]byte(jsonString(t, res.StructuredContent)), &instance); err != nil {
		t.Fatal(err)
	}
	if err := resolved.Validate(instance); err != nil {
		t.Errorf("%s: structured content does not match its output schema: %v", name, err)
	}
}

// tryCall is call returning protocol errors too.
func (e *env) tryCall(t *testing.T, id *caller.Identity, name string, args map[string]any) (*mcp.CallToolResult, error) {
	t.Helper()
	c, ctx := e.session(t, id)
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	return c.CallTool(ctx, req)
}

// list returns the tools id sees.
func (e *env) list(t *testing.T, id *caller.Identity) []mcp.Tool {
	t.Helper()
	c, ctx := e.session(t, id)
	res, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	return res.Tools
}

// structured decodes a result's structured content into v.
func structured(t *testing.T, res *mcp.CallToolResult, v any) {
	t.Helper()
	raw, err := json.Marshal(res.StructuredContent)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("structured content %s: %v", raw, err)
	}
}

// mustAnswer fails unless res is a successful answer containing every want.
func mustAnswer(t *testing.T, res *mcp.CallToolResult, wants ...string) string {
	t.Helper()
	got := testkit.Text(res)
	if res.IsError {
		t.Fatalf("unexpected isError result: %s", got)
	}
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("answer lacks %q:\n%s", w, got)
		}
	}
	return got
}

// mustFail fails unless res is an isError result containing every want.
func mustFail(t *testing.T, res *mcp.CallToolResult, wants ...string) string {
	t.Helper()
	got := testkit.Text(res)
	if !res.IsError {
		t.Fatalf("want isError result, got answer: %s", got)
	}
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("error lacks %q:\n%s", w, got)
		}
	}
	return got
}

// outputSchema is a tool's output schema as it marshals: the raw one the
// tools take from schemas_gen.go, or the typed one a tool built by
// reflection carries.
func outputSchema(tl mcp.Tool) any {
	if tl.RawOutputSchema != nil {
		return tl.RawOutputSchema
	}
	return tl.OutputSchema
}

// typedOutputSchema is a tool's output schema decoded, whichever field
// holds it.
func typedOutputSchema(t *testing.T, tl mcp.Tool) mcp.ToolOutputSchema {
	t.Helper()
	var s mcp.ToolOutputSchema
	if err := json.Unmarshal([]byte(jsonString(t, outputSchema(tl))), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func jsonString(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}
