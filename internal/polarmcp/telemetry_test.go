package polarmcp

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/tools"
)

const (
	telemetrySecret = "telemetry-test-secret-0123456789abcdef"
	demoAliceID     = "c1000000-0001-4000-8001-000000000001"
)

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// serveObserved runs polar-mcp http on the demo organization with a
// metrics listener; it returns the public and the metrics base URLs.
func serveObserved(t *testing.T, logs io.Writer, edit ...func(*config.Config)) (base, metrics string) {
	t.Helper()
	cfg := config.Config{Demo: true, Listen: "127.0.0.1:0", MetricsListen: "127.0.0.1:0", TokenSecret: telemetrySecret}
	for _, e := range edit {
		e(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := cfg.ValidateHosted(); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ctx, stop := context.WithCancel(context.Background())
	ready, metricsReady, done := make(chan string, 1), make(chan string, 1), make(chan error, 1)
	go func() { done <- ServeHTTP(ctx, cfg, log, ready, withMetricsReady(metricsReady)) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("ServeHTTP: %v", err)
		}
	})
	for range 2 {
		select {
		case addr := <-ready:
			base = "http://" + addr
		case addr := <-metricsReady:
			metrics = "http://" + addr
		case err := <-done:
			t.Fatalf("ServeHTTP: %v", err)
		}
	}
	return base, metrics
}

// callAs makes one tool call over streamable HTTP as claims; the client
// stays open (its session counts) until the test ends.
func callAs(t *testing.T, base string, claims identity.Claims, tool string, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	return callSigned(t, base, telemetrySecret, claims, tool, args)
}

// callSigned is callAs with a token signed with secret.
func callSigned(t *testing.T, base, secret string, claims identity.Claims, tool string, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	tok, err := identity.Mint([]byte(secret), claims, time.Minute, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.NewStreamableHttpClient(base+"/mcp", transport.WithHTTPHeaders(map[string]string{"Authorization": "Bearer " + tok}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = "2025-11-25"
	init.Params.ClientInfo = mcp.Implementation{Name: "telemetry-test", Version: "1"}
	if _, err := c.Initialize(ctx, init); err != nil {
		t.Fatal(err)
	}
	req := mcp.CallToolRequest{}
	req.Params.Name, req.Params.Arguments = tool, args
	res, err := c.CallTool(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func fetchText(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(body)
}

// TestMetricsAfterRealCalls scrapes the metrics listener after tool
// calls through a real MCP client: each outcome is counted under its
// tool and role, Polar requests and cache lookups by operation, sessions
// by transport; no email appears, and the public listener has no
// /metrics.
func TestMetricsAfterRealCalls(t *testing.T) {
	logs := &syncBuffer{}
	base, metrics := serveObserved(t, logs)
	agent := identity.Claims{Role: caller.Agent, Subject: "agent-7"}
	alice := identity.Claims{Role: caller.Customer, Email: "alice@example.com", EmailVerified: true}
	nobody := identity.Claims{Role: caller.Customer, Email: "nobody@example.com", EmailVerified: true}

	if res := callAs(t, base, agent, tools.NameSubscriptionStatus, map[string]any{"email": "alice@example.com"}); res.IsError {
		t.Fatalf("agent call failed: %+v", res.Content)
	}
	callAs(t, base, alice, tools.NameSubscriptionStatus, nil)                                                  // ok, the lookup from the cache
	callAs(t, base, nobody, tools.NameSubscriptionStatus, nil)                                                 // not_found
	callAs(t, base, alice, tools.NameSubscriptionStatus, map[string]any{"email": "bob@example.com"})           // refused
	callAs(t, base, agent, tools.NameOrderHistory, map[string]any{"email": "alice@example.com", "limit": "x"}) // invalid

	code, scrape := fetchText(t, metrics+"/metrics")
	if code != http.StatusOK {
		t.Fatalf("GET /metrics = %d", code)
	}
	for _, want := range []string{
		`polarmcp_tool_calls_total{outcome="ok",role="agent",tool="get_subscription_status"} 1`,
		`polarmcp_tool_calls_total{outcome="ok",role="customer",tool="get_subscription_status"} 1`,
		`polarmcp_tool_calls_total{outcome="not_found",role="customer",tool="get_subscription_status"} 1`,
		`polarmcp_tool_calls_total{outcome="refused",role="customer",tool="get_subscription_status"} 1`,
		`polarmcp_tool_calls_total{outcome="invalid",role="agent",tool="get_order_history"} 1`,
		`polarmcp_tool_call_duration_seconds_count{tool="get_subscription_status"} 4`,
		`polarmcp_polar_requests_total{operation="customers:list",status="200"} 2`,
		`polarmcp_polar_request_duration_seconds_count{operation="customers:list"} 2`,
		`polarmcp_polar_requests_total{operation="subscriptions:list",status="200"}`,
		`polarmcp_cache_lookups_total{kind="customers:list",outcome="hit"} 1`,
		`polarmcp_cache_lookups_total{kind="customers:list",outcome="miss"} 2`,
		`polarmcp_sessions_open{transport="streamable_http"} 5`,
		`polarmcp_agent_lookups_total{connection="default",found="true"} 1`,
		"polarmcp_draining 0",
		"polarmcp_build_info{commit=",
		"go_goroutines ",
		"process_cpu_seconds_total ",
	} {
		if !strings.Contains(scrape, want) {
			t.Errorf("scrape lacks %s", want)
		}
	}
	if strings.Contains(scrape, "@") || strings.Contains(scrape, "alice") {
		t.Errorf("an email reached the scrape:\n%s", scrape)
	}
	if code, _ := fetchText(t, base+"/metrics"); code == http.StatusOK {
		t.Error("the public listener serves /metrics")
	}
	checkLogs(t, logs.String())
}

// checkLogs checks the tool call lines and the agent lookup audit line,
// and that no email is logged.
func checkLogs(t *testing.T, logs string) {
	t.Helper()
	var calls, audits []map[string]any
	for line := range strings.Lines(logs) {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not a JSON log line: %q", line)
		}
		switch m["msg"] {
		case "tool call":
			calls = append(calls, m)
		case "agent lookup":
			audits = append(audits, m)
		}
	}
	if len(calls) != 5 {
		t.Fatalf("%d tool call lines, want 5:\n%s", len(calls), logs)
	}
	first := calls[0]
	for k, want := range map[string]any{"transport": "streamable_http", "role": "agent", "tool": tools.NameSubscriptionStatus,
		"outcome": "ok", "connection": ""} {
		if first[k] != want {
			t.Errorf("tool call line %s = %v, want %v", k, first[k], want)
		}
	}
	if id, _ := first["request_id"].(string); id == "" {
		t.Error("tool call line has no request_id")
	}
	if n, _ := first["upstream_requests"].(float64); n < 2 {
		t.Errorf("tool call line upstream_requests = %v, want the lookup and the subscriptions", first["upstream_requests"])
	}
	if _, ok := first["duration"]; !ok {
		t.Error("tool call line has no duration")
	}
	if len(audits) != 1 {
		t.Fatalf("%d agent lookup lines, want 1 (the invalid call looked nobody up)", len(audits))
	}
	for k, want := range map[string]any{"agent_subject": "agent-7", "customer_id": demoAliceID,
		"tool": tools.NameSubscriptionStatus, "customer_found": true} {
		if audits[0][k] != want {
			t.Errorf("audit line %s = %v, want %v", k, audits[0][k], want)
		}
	}
	for _, secret := range []string{"@example.com", telemetrySecret, "polar_oat_"} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain %q:\n%s", secret, logs)
		}
	}
}
