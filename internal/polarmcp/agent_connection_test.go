package polarmcp

import (
	"bufio"
	"context"
	"net/http"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/internal/tenants/connections"
	"github.com/polar-mcp/polar-mcp/internal/tenants/keyring"
)

// connWebhookSecret is connection A's webhook secret.
const connWebhookSecret = "whsec_panel_conn_test"

// storedConnection is a connection in the store and its signing secret.
type storedConnection struct {
	id     string
	secret []byte
}

// agentToken signs an agent's token for c, as `polar-mcp token
// --connection` does: with c's secret, audience c's id.
func (c storedConnection) agentToken(t *testing.T) string {
	t.Helper()
	tok, err := identity.Mint(c.secret, identity.Claims{Role: caller.Agent, Subject: "agent-7", Audience: c.id}, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// newStore creates a SQLite connection store in t.TempDir() holding one
// connection per Polar token, all to org; the first has webhookSecret.
// It returns the settings that serve it and the connections.
func newStore(t *testing.T, org, webhookSecret string, tokens ...string) (config.Config, []storedConnection) {
	t.Helper()
	key, err := keyring.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Config{MasterKey: "k1:" + key, DatabaseURL: filepath.Join(t.TempDir(), "connections.db")}
	ring, err := keyring.Load(cfg.MasterKey, "")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	store, err := connections.Open(ctx, cfg.DatabaseURL, ring)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var out []storedConnection
	for i, tok := range tokens {
		c, secret, err := store.Create(ctx, connections.NewConnection{Name: "Shop " + strconv.Itoa(i),
			Environment: connections.Production, Token: tok,
			Organization: connections.Organization{ID: org, Name: "Demo"}, Scopes: fakepolar.AllScopes()})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if _, err := store.SetWebhookSecret(ctx, c.ID, webhookSecret); err != nil {
				t.Fatal(err)
			}
		}
		out = append(out, storedConnection{id: c.ID, secret: []byte(secret.Reveal())})
	}
	return cfg, out
}

// sse reads a Server-Sent Events stream.
type sse struct {
	t     *testing.T
	lines *bufio.Scanner
}

// openEvents opens url's event stream for email (POSTed as the panel
// does) with token, bounded by the test.
func openEvents(t *testing.T, url, token, email string) sse {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(`{"email":"`+email+`"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("GET %s: %d %s", url, res.StatusCode, res.Header.Get("Content-Type"))
	}
	return sse{t, bufio.NewScanner(res.Body)}
}

// next waits for the event named name; the stream ending first fails.
func (s sse) next(name string) {
	s.t.Helper()
	for s.lines.Scan() {
		if s.lines.Text() == "event: "+name {
			return
		}
	}
	s.t.Fatalf("the event stream ended before %q: %v", name, s.lines.Err())
}

// connectionServer is polar-mcp http serving two connections, A (with a
// webhook secret, which the fake Polar signs its deliveries to A's
// webhook path with) and B (without), to the demo organization, with
// billing answers kept up to 10 minutes while webhooks arrive.
type connectionServer struct {
	fake   *fakepolar.Server
	base   string
	readyz string // the detailed /readyz, on the metrics listener
	a, b   storedConnection
}

func serveConnections(t *testing.T) connectionServer {
	t.Helper()
	const tokA, tokB = "polar_oat_panel_conn_a_5ecret", "polar_oat_panel_conn_b_5ecret"
	fake, polarURL, target := liveFake(t, map[string][]string{tokA: fakepolar.AllScopes(), tokB: fakepolar.AllScopes()}, connWebhookSecret)
	cfg, conns := newStore(t, fake.OrganizationID(), connWebhookSecret, tokA, tokB)
	// POLAR_MCP_WEBHOOK_SECRET (the single merchant's, unused here) is what
	// allows a billing TTL above 5 s; A's deliveries are signed with its own.
	cfg.ServerURL, cfg.WebhookSecret, cfg.BillingCacheTTL = polarURL, "whsec_not_the_connections", 10*time.Minute
	base, readyz := serveReady(t, cfg)
	target.point(t, base+"/c/"+conns[0].id+WebhookPath)
	return connectionServer{fake: fake, base: base, readyz: readyz, a: conns[0], b: conns[1]}
}

// A connection's panel: its agents' tokens (signed with its secret, for
// its id) get the insights the tool gives them, another connection's are
// refused, and a Polar webhook to /c/{id}/webhooks/polar drops the
// customer's cached billing (kept 10 minutes otherwise) and tells the
// open event stream, after which the panel's answer is Polar's new one.
func TestConnectionAgentPanel(t *testing.T) {
	s := serveConnections(t)
	fake, base, a, b := s.fake, s.base, s.a, s.b
	panelA, panelB := base+"/c/"+a.id+"/agent/", base+"/c/"+b.id+"/agent/"

	res, err := http.Get(panelA)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET %s: %d %s", panelA, res.StatusCode, res.Header.Get("Content-Type"))
	}

	insights := func(panel, token string) (int, map[string]any) {
		return panelPost(t, panel+"api/insights", token, "carol@example.com")
	}
	status, body := insights(panelA, a.agentToken(t))
	if status != http.StatusOK || body["status"] != "paused" {
		t.Fatalf("carol at connection A: %d %v, want her paused subscription", status, body)
	}
	if want := callInsights(t, base+"/c/"+a.id, a.agentToken(t), "carol@example.com"); !reflect.DeepEqual(body, want) {
		t.Errorf("the connection's panel answered\n%v\nits tool\n%v", body, want)
	}
	wrongAudience, err := identity.Mint(a.secret, identity.Claims{Role: caller.Agent, Subject: "agent-7", Audience: b.id}, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, panel, token, says string
	}{
		{"B's token at A", panelA, b.agentToken(t), "signature"},
		{"A's token at B", panelB, a.agentToken(t), "signature"},
		{"A's secret, B's audience, at A", panelA, wrongAudience, "another connection"},
		{"the single merchant's kind of token", panelA, agentToken(t), "signature"},
	} {
		status, body := insights(c.panel, c.token)
		if msg, _ := body["error_description"].(string); status != http.StatusUnauthorized || !strings.Contains(msg, c.says) {
			t.Errorf("%s: %d %v, want 401 saying %q", c.name, status, body, c.says)
		}
		if status, _ := panelPost(t, c.panel+"api/events", c.token, "carol@example.com"); status != http.StatusUnauthorized {
			t.Errorf("%s, events: %d, want 401", c.name, status)
		}
	}
	if status, _ := insights(panelB, b.agentToken(t)); status != http.StatusOK {
		t.Errorf("B's own token at B: %d", status)
	}

	// B has no webhook secret: its webhook path is not served, even to
	// a delivery signed with A's.
	now, msg, payload := time.Now(), "msg_conn_b_probe", `{"type":"product.updated","data":{"id":"p1"}}`
	req, _ := http.NewRequest(http.MethodPost, base+"/c/"+b.id+WebhookPath, strings.NewReader(payload))
	req.Header.Set("webhook-id", msg)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(now.Unix(), 10))
	req.Header.Set("webhook-signature", signWebhook(connWebhookSecret, msg, now, []byte(payload)))
	if res, err := http.DefaultClient.Do(req); err != nil {
		t.Error(err)
	} else if res.Body.Close(); res.StatusCode != http.StatusNotFound {
		t.Errorf("a delivery to B, which has no webhook secret: %d, want 404", res.StatusCode)
	}

	warmUp(t, fake, s.readyz, a.id)
	events := openEvents(t, panelA+"api/events", a.agentToken(t), "carol@example.com")
	events.next("ready")
	if status, body := insights(panelA, a.agentToken(t)); status != http.StatusOK || body["status"] != "paused" {
		t.Fatalf("carol before the change: %d %v", status, body)
	}
	if _, err := fake.UpdateSubscription(carolSubscription,
		map[string]any{"status": "active", "paused_at": nil, "resumes_at": nil}); err != nil {
		t.Fatal(err)
	}
	events.next("update")
	if status, body := insights(panelA, a.agentToken(t)); status != http.StatusOK || body["status"] != "active" {
		t.Fatalf("carol after the update event: %d %v, want active", status, body)
	}
}
