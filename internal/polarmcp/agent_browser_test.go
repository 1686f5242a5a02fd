package polarmcp

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/polar/fakepolar"
	"github.com/polar-mcp/polar-mcp/webhooks"
)

// browser starts headless Chromium (POLAR_MCP_TEST_CHROMIUM, or chromium
// on PATH: `source .ci/chromium.sh`) with a fresh profile, or skips.
func browser(t *testing.T) context.Context {
	t.Helper()
	bin := os.Getenv("POLAR_MCP_TEST_CHROMIUM")
	if bin == "" {
		bin, _ = exec.LookPath("chromium")
	}
	if bin == "" {
		t.Skip("Chromium not found: run `source .ci/chromium.sh`")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium %s: %v", bin, err)
	}
	return ctx
}

// page drives the agent panel as an agent does.
type page struct {
	t   *testing.T
	ctx context.Context
}

func (p page) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
}

// lookUp types the token and the email and presses the button.
func (p page) lookUp(token, email string) {
	p.t.Helper()
	clear := func(id string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](`document.getElementById(` + strconv.Quote(id) + `).value = ''`)
	}
	p.do("look up "+email, clear("token"), chromedp.SendKeys(chromedp.ID("token"), token),
		clear("email"), chromedp.SendKeys(chromedp.ID("email"), email), chromedp.Click(chromedp.CSS("button[type=submit]")))
}

// waitText waits until the card's element sel (a data-field name, or a
// CSS selector starting with "#") shows text containing want.
func (p page) waitText(sel, want string) {
	p.t.Helper()
	q := `#insights [data-field=` + sel + `]`
	if strings.HasPrefix(sel, "#") {
		q = sel
	}
	expr := `((document.querySelector(` + strconv.Quote(q) + `) || {}).innerText || '').includes(` + strconv.Quote(want) + `)`
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr)); err != nil {
		shown, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.getElementById('insights').innerText`))
		p.t.Fatalf("waiting for %s to show %q: %v; the panel shows %q", sel, want, err, shown)
	}
}

// screenshot saves the page as name.png in t.TempDir(), or in
// POLAR_MCP_SCREENSHOTS (to refresh docs/agent-panel.png).
func (p page) screenshot(name string) {
	p.t.Helper()
	dir := os.Getenv("POLAR_MCP_SCREENSHOTS")
	if dir == "" {
		dir = p.t.TempDir()
	}
	buf, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// The real polar-mcp http --demo serves the panel: an agent sees each
// kind of customer, an unknown email, and a customer's token refused.
func TestAgentPanelOnTheDemoServer(t *testing.T) {
	ctx := browser(t)
	base := serve(t, config.Config{Demo: true})
	p := page{t, ctx}
	p.do("open the panel", chromedp.Navigate(base+"/agent/"))

	p.lookUp(customerToken(t, "carol@example.com"), "carol@example.com")
	p.waitText("#insights", "agents only")
	p.waitText("#insights", "Not allowed")

	agent := agentToken(t)
	p.lookUp(agent, "team@acme.example")
	p.waitText("status", "Trial")
	p.waitText("trial_ends_at", "Trial ends")

	p.lookUp(agent, "bob@example.com")
	p.waitText("#insights .plan-row", "Canceling")
	p.waitText("cancels_at", "Cancels")

	p.lookUp(agent, "nobody@example.com")
	p.waitText("#insights [data-state=notfound]", "nobody@example.com")

	p.lookUp(agent, "carol@example.com")
	p.waitText("status", "Paused")
	p.waitText("resumes_at", "Resumes")
	p.waitText("#live", "unavailable") // no webhooks: Refresh only
	p.screenshot("agent-panel")
}

// changeHub is a Changes source fed by Polar's webhooks: the fake's
// deliveries, verified and mapped by package webhooks.
type changeHub struct {
	mu   sync.Mutex
	subs map[string][]chan struct{}
}

func (h *changeHub) Subscribe(_ context.Context, connection, customerID string) (<-chan struct{}, func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	key := connection + "/" + customerID
	ch := make(chan struct{}, 1)
	h.subs[key] = append(h.subs[key], ch)
	return ch, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		for i, c := range h.subs[key] {
			if c == ch {
				h.subs[key] = append(h.subs[key][:i], h.subs[key][i+1:]...)
				break
			}
		}
	}
}

func (h *changeHub) process(_ context.Context, ev webhooks.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, inv := range webhooks.Map(ev) {
		for _, ch := range h.subs["/"+inv.CustomerID] {
			select {
			case ch <- struct{}{}:
			default:
			}
		}
	}
}

// With webhooks, the card follows a change in Polar without a Refresh.
func TestAgentPanelLiveUpdate(t *testing.T) {
	ctx := browser(t)
	const polarToken, webhookSecret = "polar_oat_panel_live_test_5ecret", "whsec_panel_live_test"
	hub := &changeHub{subs: map[string][]chan struct{}{}}
	var orgID string
	receiver, err := webhooks.NewHandler(webhooks.HandlerConfig{
		Endpoint: func(*http.Request) (webhooks.Endpoint, bool) {
			return webhooks.Endpoint{Org: orgID, Secret: webhookSecret}, true
		},
		Process: hub.process,
	})
	if err != nil {
		t.Fatal(err)
	}
	hooks := httptest.NewServer(receiver)
	t.Cleanup(hooks.Close)
	rctx, stop := context.WithCancel(context.Background())
	t.Cleanup(stop)
	go receiver.Run(rctx)
	fake, err := fakepolar.Demo(fakepolar.Options{Tokens: map[string][]string{polarToken: fakepolar.AllScopes()},
		Webhook: fakepolar.Webhook{URL: hooks.URL, Secret: webhookSecret}})
	if err != nil {
		t.Fatal(err)
	}
	orgID = fake.OrganizationID()
	polarAPI := httptest.NewServer(fake)
	t.Cleanup(polarAPI.Close)
	base := serve(t, config.Config{AccessToken: polarToken, ServerURL: polarAPI.URL}, WithChanges(hub))

	p := page{t, ctx}
	p.do("open the panel", chromedp.Navigate(base+"/agent/"))
	p.lookUp(agentToken(t), "carol@example.com")
	p.waitText("status", "Paused")
	p.waitText("#live", "Live updates on")
	if _, err := fake.UpdateSubscription("51000000-0001-4000-8003-000000000003",
		map[string]any{"status": "active", "paused_at": nil, "resumes_at": nil}); err != nil {
		t.Fatal(err)
	}
	p.waitText("status", "Active")
	p.screenshot("agent-panel-live")
}
