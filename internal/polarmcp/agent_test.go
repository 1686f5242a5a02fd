package polarmcp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/tools"
)

const testSecret = "panel-test-secret-0123456789abcdef-0123456789"

// serve runs polar-mcp http (ServeHTTP) for cfg on a free loopback port
// until the test ends, and returns its base URL.
func serve(t *testing.T, cfg config.Config, opts ...Option) string {
	t.Helper()
	base, _ := serveReady(t, cfg, opts...)
	return base
}

// serveReady is serve with a metrics listener too, and returns the URL
// of its detailed /readyz as well.
func serveReady(t *testing.T, cfg config.Config, opts ...Option) (base, readyz string) {
	t.Helper()
	return serveLogged(t, cfg, slog.New(slog.DiscardHandler), opts...)
}

// serveLogged is serveReady logging to log.
func serveLogged(t *testing.T, cfg config.Config, log *slog.Logger, opts ...Option) (base, readyz string) {
	t.Helper()
	// A port of its own, so that BaseURL names it: the panel's POSTs
	// carry an Origin, which must be the server's own.
	cfg.Listen, cfg.TokenSecret, cfg.MetricsListen = freeAddr(t), testSecret, "127.0.0.1:0"
	if err := cfg.ValidateServer(); err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	ready, metricsReady, done := make(chan string, 1), make(chan string, 1), make(chan error, 1)
	go func() {
		done <- ServeHTTP(ctx, cfg, log, ready, append(opts, withMetricsReady(metricsReady))...)
	}()
	for base == "" || readyz == "" {
		select {
		case addr := <-ready:
			base = "http://" + addr
		case addr := <-metricsReady:
			readyz = "http://" + addr + "/readyz"
		case err := <-done:
			t.Fatalf("ServeHTTP: %v", err)
		}
	}
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("ServeHTTP: %v", err)
		}
	})
	return base, readyz
}

// freeAddr is a loopback address with a port free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// mint signs a caller token as `polar-mcp token` does, issued at now.
func mint(t *testing.T, c identity.Claims, now time.Time) string {
	t.Helper()
	tok, err := identity.Mint([]byte(testSecret), c, time.Hour, now)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func agentToken(t *testing.T) string {
	return mint(t, identity.Claims{Role: caller.Agent, Subject: "agent-7"}, time.Now())
}

func customerToken(t *testing.T, email string) string {
	return mint(t, identity.Claims{Role: caller.Customer, Email: email, EmailVerified: true}, time.Now())
}

// panelPost POSTs {"email": email} to a panel API url with token as
// bearer (unless "") and returns the status and JSON body.
func panelPost(t *testing.T, url, token, email string) (int, map[string]any) {
	t.Helper()
	payload, _ := json.Marshal(map[string]string{"email": email})
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(payload))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var body map[string]any
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Fatalf("POST %s: %v in %s", url, err, raw)
		}
	}
	return res.StatusCode, body
}

// callInsights calls get_visitor_insights over Streamable HTTP, as an MCP
// client does, and returns its structuredContent as JSON values.
func callInsights(t *testing.T, base, token, email string) map[string]any {
	t.Helper()
	c, err := client.NewStreamableHttpClient(base+"/mcp", transport.WithHTTPHeaders(map[string]string{"Authorization": "Bearer " + token}))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "panel-test", Version: "1"}
	if _, err := c.Initialize(ctx, init); err != nil {
		t.Fatal(err)
	}
	req := mcp.CallToolRequest{}
	req.Params.Name = tools.NameVisitorInsights
	req.Params.Arguments = map[string]any{"email": email}
	res, err := c.CallTool(ctx, req)
	if err != nil || res.IsError {
		t.Fatalf("get_visitor_insights: %v %+v", err, res)
	}
	raw, _ := json.Marshal(res.StructuredContent)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// The panel's API answers what the tool answers an MCP client, for each
// kind of customer.
func TestInsightsAPIAnswersAsTheTool(t *testing.T) {
	base := serve(t, config.Config{Demo: true})
	tok := agentToken(t)
	for _, email := range []string{"carol@example.com", "team@acme.example", "bob@example.com", "nobody@example.com"} {
		status, body := panelPost(t, base+"/agent/api/insights", tok, email)
		if status != http.StatusOK {
			t.Fatalf("%s: %d %v", email, status, body)
		}
		if want := callInsights(t, base, tok, email); !reflect.DeepEqual(body, want) {
			t.Errorf("%s: the API answered\n%v\nthe tool\n%v", email, body, want)
		}
	}
}

// The API refuses as the MCP endpoint does, and customers outright.
func TestInsightsAPIRefusals(t *testing.T) {
	base := serve(t, config.Config{Demo: true, AllowedOrigins: []string{"https://acme.zendesk.com"}})
	expired := mint(t, identity.Claims{Role: caller.Agent, Subject: "agent-7"}, time.Now().Add(-2*time.Hour))
	forged, err := identity.Mint([]byte(strings.Repeat("x", 48)), identity.Claims{Role: caller.Agent}, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	insights, events := base+"/agent/api/insights", base+"/agent/api/events"
	for _, c := range []struct {
		name, url, token, email string
		status                  int
		says                    string
	}{
		{"no token", insights, "", "carol@example.com", http.StatusUnauthorized, "bearer"},
		{"expired", insights, expired, "carol@example.com", http.StatusUnauthorized, "expired"},
		{"wrong secret", insights, forged, "carol@example.com", http.StatusUnauthorized, "signature"},
		{"customer", insights, customerToken(t, "carol@example.com"), "carol@example.com", http.StatusForbidden, "agents only"},
		{"customer events", events, customerToken(t, "carol@example.com"), "carol@example.com", http.StatusForbidden, "agents only"},
		{"bad email", insights, agentToken(t), "Carol <carol@example.com>", http.StatusBadRequest, "email"},
		{"no email", insights, agentToken(t), "", http.StatusBadRequest, "email"},
		{"email in the URL", insights + "?email=carol@example.com", agentToken(t), "carol@example.com", http.StatusBadRequest, "never in the URL"},
		{"no live updates", events, agentToken(t), "carol@example.com", http.StatusNotImplemented, "Refresh"},
	} {
		status, body := panelPost(t, c.url, c.token, c.email)
		msg, _ := body["message"].(string)
		if msg == "" {
			msg, _ = body["error_description"].(string)
		}
		if status != c.status || !strings.Contains(strings.ToLower(msg), strings.ToLower(c.says)) {
			t.Errorf("%s: %d %v, want %d saying %q", c.name, status, body, c.status, c.says)
		}
	}

	res, err := http.Get(base + "/agent/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if csp := res.Header.Get("Content-Security-Policy"); res.StatusCode != http.StatusOK ||
		!strings.Contains(csp, "frame-ancestors 'self' https://acme.zendesk.com") {
		t.Errorf("GET /agent/: %d, CSP %q: want the allowed origins as frame-ancestors", res.StatusCode, csp)
	}
}

// Panel look-ups spend the caller's tool-call budget: the same bucket as
// their MCP calls.
func TestInsightsAPISharesTheCallLimit(t *testing.T) {
	base := serve(t, config.Config{Demo: true, CallsPerMinute: 1, CallBurst: 2})
	tok := agentToken(t)
	callInsights(t, base, tok, "carol@example.com")
	if status, body := panelPost(t, base+"/agent/api/insights", tok, "carol@example.com"); status != http.StatusOK {
		t.Fatalf("second call: %d %v", status, body)
	}
	status, body := panelPost(t, base+"/agent/api/insights", tok, "carol@example.com")
	if status != http.StatusTooManyRequests || !strings.Contains(body["message"].(string), "try again") {
		t.Errorf("third call: %d %v, want 429", status, body)
	}
	other := mint(t, identity.Claims{Role: caller.Agent, Subject: "agent-8"}, time.Now())
	if status, body := panelPost(t, base+"/agent/api/insights", other, "carol@example.com"); status != http.StatusOK {
		t.Errorf("another agent: %d %v", status, body)
	}
}

// Each event stream the panel opens looks a customer up in Polar, and
// takes one call from the caller's budget, as an insights look-up does:
// with a burst of 3, an agent opening streams for 20 emails gets 3 and
// then 429s, and Polar is asked for 3 customers, not 20.
func TestEventStreamsSpendTheCallLimit(t *testing.T) {
	const polarToken, webhookSecret = "polar_oat_events_limit_5ecret", "whsec_events_limit_test"
	fake, polarURL, _ := liveFake(t, map[string][]string{polarToken: fakepolar.AllScopes()}, webhookSecret)
	base := serve(t, config.Config{AccessToken: polarToken, ServerURL: polarURL, WebhookSecret: webhookSecret,
		CallsPerMinute: 1, CallBurst: 3})
	tok := agentToken(t)
	fake.ResetRequests()
	var opened, refused int
	for i := range 20 {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/agent/api/events",
			strings.NewReader(fmt.Sprintf(`{"email":"someone%d@example.com"}`, i)))
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			cancel()
			t.Fatal(err)
		}
		switch res.StatusCode {
		case http.StatusOK:
			opened++
		case http.StatusTooManyRequests:
			refused++
		default:
			t.Errorf("stream %d: %d", i, res.StatusCode)
		}
		res.Body.Close()
		cancel()
	}
	lookups := 0
	for _, r := range fake.Requests() {
		if r.Path == "/v1/customers/" && r.Query.Get("email") != "" {
			lookups++
		}
	}
	if opened != 3 || refused != 17 || lookups != 3 {
		t.Errorf("%d streams opened, %d refused, %d customer look-ups sent to Polar; want 3, 17 and 3", opened, refused, lookups)
	}
}
