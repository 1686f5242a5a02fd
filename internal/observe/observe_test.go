package observe_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/fleet"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/internal/observe"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
	"github.com/polar-mcp/polar-mcp/tools"
)

const aliceID = "c1000000-0001-4000-8001-000000000001"

// harness is the tools server over the demo organization, observed with
// an in-memory span recorder and a JSON log buffer.
type harness struct {
	spans *tracetest.SpanRecorder
	logs  *bytes.Buffer
	c     *client.Client
	pc    polar.Client // the organization's adapter, bound to every call
}

func newHarness(t *testing.T, limiter polar.RateLimiter) *harness {
	t.Helper()
	_, ts := testkit.DemoPolar(t)
	h := &harness{spans: tracetest.NewSpanRecorder(), logs: &bytes.Buffer{}}
	log := slog.New(slog.NewJSONHandler(h.logs, nil))
	obs := observe.New(observe.Config{Metrics: observe.NewMetrics(),
		Tracer: sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(h.spans)), Logger: log})
	sdk, err := polar.New(polar.Config{AccessToken: fakepolar.DemoToken, ServerURL: ts.URL, Observer: obs,
		Limiter: limiter, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	pc := cache.New(sdk, cache.Config{Observer: obs})
	h.pc = pc
	srv := tools.NewServer(tools.Deps{Logger: log, Observer: obs},
		tools.Options{Middleware: []server.ToolHandlerMiddleware{obs.ToolMiddleware()}, Hooks: obs.Hooks()})
	h.c, err = client.NewInProcessClient(srv)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.c.Close() })
	ctx := context.Background()
	if err := h.c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	if _, err := h.c.Initialize(ctx, init); err != nil {
		t.Fatal(err)
	}
	return h
}

func (h *harness) call(t *testing.T, id caller.Identity, tool string, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name, req.Params.Arguments = tool, args
	res, err := h.c.CallTool(caller.With(tools.WithClient(context.Background(), h.pc), id), req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestSpanTreeOfAToolCall: an agent's call is one tool span whose
// children are its cache decisions and its Polar requests (operation,
// status, attempt), with the connection as an attribute and no email
// anywhere.
func TestSpanTreeOfAToolCall(t *testing.T) {
	h := newHarness(t, nil)
	agent := caller.Identity{Role: caller.Agent, Connection: "conn_1", Subject: "agent-7"}
	if res := h.call(t, agent, tools.NameSubscriptionStatus, map[string]any{"email": "alice@example.com"}); res.IsError {
		t.Fatalf("call failed: %+v", res.Content)
	}
	spans := h.spans.Ended()
	var root sdktrace.ReadOnlySpan
	for _, s := range spans {
		if s.Name() == "tools/call "+tools.NameSubscriptionStatus {
			root = s
		}
	}
	if root == nil {
		t.Fatalf("no tool call span among %d", len(spans))
	}
	attrs := map[string]string{}
	for _, a := range root.Attributes() {
		attrs[string(a.Key)] = a.Value.String()
	}
	for k, want := range map[string]string{"polarmcp.connection": "conn_1", "polarmcp.role": "agent",
		"polarmcp.outcome": "ok", "mcp.tool.name": tools.NameSubscriptionStatus} {
		if attrs[k] != want {
			t.Errorf("tool span %s = %q, want %q", k, attrs[k], want)
		}
	}
	children := map[string]map[string]string{}
	for _, s := range spans {
		if s.Parent().SpanID() != root.SpanContext().SpanID() {
			continue
		}
		a := map[string]string{}
		for _, kv := range s.Attributes() {
			a[string(kv.Key)] = kv.Value.String()
		}
		children[s.Name()] = a
	}
	lookup, ok := children["polar customers:list"]
	if !ok {
		t.Fatalf("no Polar request span under the tool span: %v", children)
	}
	for k, want := range map[string]string{"polar.operation": "customers:list", "http.response.status_code": "200",
		"polar.attempt": "1", "polarmcp.connection": "conn_1"} {
		if lookup[k] != want {
			t.Errorf("Polar span %s = %q, want %q", k, lookup[k], want)
		}
	}
	if _, ok := children["polar subscriptions:list"]; !ok {
		t.Errorf("no subscriptions span under the tool span: %v", children)
	}
	if c := children["cache customers:list"]; c["cache.outcome"] != cache.OutcomeMiss {
		t.Errorf("cache span = %v, want a miss", c)
	}
	for _, s := range spans {
		for _, kv := range s.Attributes() {
			if strings.Contains(kv.Value.String(), "@") {
				t.Errorf("span %s attribute %s holds an email: %s", s.Name(), kv.Key, kv.Value.String())
			}
		}
	}
}

// TestToolCallAndAuditLines: every call logs one line with its outcome
// and the Polar requests it spent; an agent's lookup logs an audit line
// naming the customer's Polar id; no email is logged.
func TestToolCallAndAuditLines(t *testing.T) {
	h := newHarness(t, nil)
	agent := caller.Identity{Role: caller.Agent, Connection: "conn_1", Subject: "agent-7"}
	h.call(t, agent, tools.NameSubscriptionStatus, map[string]any{"email": "alice@example.com"})
	h.call(t, agent, tools.NameSubscriptionStatus, map[string]any{"email": "nobody@example.com"})
	h.call(t, caller.Identity{Role: caller.Customer, Email: "alice@example.com"}, tools.NameProducts, nil)
	var calls, audits []map[string]any
	for line := range strings.Lines(h.logs.String()) {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		switch m["msg"] {
		case "tool call":
			calls = append(calls, m)
		case "agent lookup":
			audits = append(audits, m)
		}
	}
	if len(calls) != 3 || len(audits) != 2 {
		t.Fatalf("%d call lines and %d audit lines, want 3 and 2:\n%s", len(calls), len(audits), h.logs)
	}
	wantOutcomes := []string{observe.OutcomeOK, observe.OutcomeNotFound, observe.OutcomeOK}
	for i, c := range calls {
		if c["outcome"] != wantOutcomes[i] || c["connection"] != calls[0]["connection"] && i < 2 {
			t.Errorf("call %d: %v", i, c)
		}
	}
	if calls[0]["upstream_requests"] != float64(2) {
		t.Errorf("first call spent %v upstream requests, want 2 (lookup, subscriptions)", calls[0]["upstream_requests"])
	}
	if audits[0]["customer_id"] != aliceID || audits[0]["customer_found"] != true || audits[0]["agent_subject"] != "agent-7" ||
		audits[0]["connection"] != "conn_1" {
		t.Errorf("audit line = %v", audits[0])
	}
	if audits[1]["customer_id"] != "" || audits[1]["customer_found"] != false {
		t.Errorf("audit line of a lookup that found nobody = %v", audits[1])
	}
	if strings.Contains(h.logs.String(), "@") {
		t.Errorf("an email was logged:\n%s", h.logs)
	}
}

// TestLimiterRefusalIsObserved: a request the limiter refuses is a
// rate_limited call and a limiter span, never a Polar request.
func TestLimiterRefusalIsObserved(t *testing.T) {
	lim := fleet.NewLimiter(fleet.NewLocalBudget(fleet.Limits{PerWindow: 1}, nil), "org", -1)
	h := newHarness(t, lim)
	h.call(t, caller.Identity{Role: caller.Customer, Email: "alice@example.com"}, tools.NameProducts, nil)
	res := h.call(t, caller.Identity{Role: caller.Customer, Email: "bob@example.com"}, tools.NameSubscriptionStatus, nil)
	if !res.IsError {
		t.Fatal("the second call was not refused by a one-a-minute limiter")
	}
	var refused bool
	for _, s := range h.spans.Ended() {
		for _, kv := range s.Attributes() {
			if s.Name() == "polar.limiter" && kv.Key == "polar.limiter.refused" && kv.Value.AsBool() {
				refused = true
			}
		}
	}
	if !refused {
		t.Error("no limiter span says refused")
	}
	if !strings.Contains(h.logs.String(), `"outcome":"rate_limited"`) {
		t.Errorf("no rate_limited call line:\n%s", h.logs)
	}
}
