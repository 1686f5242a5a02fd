//go:build e2e

package polarmcp

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
)

// browser is a fresh headless Chromium tab (testkit.Browser), or skips.
func browser(t *testing.T) context.Context { return testkit.Browser(t) }

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

	// README's picture (docs/agent-panel.png): the desk's search finds
	// Frank Miller by his surname on the demo, whose dates follow the day,
	// so his current plan bills next on a day still to come.
	p.typeQuery(agent, "Miller")
	p.do("pick Frank", chromedp.Click(chromedp.CSS(`#results button[data-email="Frank.Miller@Example.com"]`)))
	p.waitText("name", "Frank Miller")
	p.waitText("status", "Active")
	shown := value[string](p, `document.querySelector('#insights [data-field=next_billing_at]').innerText`)
	next, err := time.Parse("2 Jan 2006", strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(shown), "Next billing")))
	if err != nil {
		t.Fatalf("next billing %q: %v", shown, err)
	}
	if today := time.Now().UTC().Truncate(24 * time.Hour); !next.After(today) {
		t.Errorf("the demo's current plan bills next on %s, not after today (%s)", next.Format(time.DateOnly), today.Format(time.DateOnly))
	}
	p.waitText("#live", "unavailable")
	p.screenshot("agent-panel")
}

// The real server's webhook endpoint feeds the panel: Polar signs a
// delivery to /webhooks/polar (POLAR_MCP_WEBHOOK_SECRET), the server drops
// the customer's cached billing answers (kept up to 10 minutes otherwise)
// and tells the open panel, whose card then shows the new state.
func TestAgentPanelLiveUpdate(t *testing.T) {
	ctx := browser(t)
	const polarToken, webhookSecret = "polar_oat_panel_live_test_5ecret", "whsec_panel_live_test"
	fake, polarURL, target := liveFake(t, map[string][]string{polarToken: fakepolar.AllScopes()}, webhookSecret)
	base, readyz := serveReady(t, config.Config{AccessToken: polarToken, ServerURL: polarURL,
		WebhookSecret: webhookSecret, BillingCacheTTL: 10 * time.Minute})
	target.point(t, base+WebhookPath)
	eventually(t, "the server learns its organization", func() bool { return webhookOrg(t, readyz, "") != "" })
	warmUp(t, fake, readyz, "")

	p := page{t, ctx}
	p.do("open the panel", chromedp.Navigate(base+"/agent/"))
	p.lookUp(agentToken(t), "carol@example.com")
	p.waitText("status", "Paused")
	p.waitText("#live", "Live updates on")
	if _, err := fake.UpdateSubscription(carolSubscription,
		map[string]any{"status": "active", "paused_at": nil, "resumes_at": nil}); err != nil {
		t.Fatal(err)
	}
	p.waitText("status", "Active")
	p.screenshot("agent-panel-live")
}

// The same in Chromium at a connection's panel, /c/{id}/agent/: an agent
// of the connection looks Carol up, and the card follows her resumed
// subscription once Polar's webhook reaches /c/{id}/webhooks/polar.
func TestConnectionAgentPanelLiveUpdate(t *testing.T) {
	ctx := browser(t)
	s := serveConnections(t)
	p := page{t, ctx}
	p.do("open the connection's panel", chromedp.Navigate(s.base+"/c/"+s.a.id+"/agent/"))
	p.lookUp(s.a.agentToken(t), "carol@example.com")
	p.waitText("status", "Paused") // the first request loads A's adapter and cache; then its webhooks are trusted
	warmUp(t, s.fake, s.readyz, s.a.id)
	p.waitText("#live", "Live updates on")
	if _, err := s.fake.UpdateSubscription(carolSubscription,
		map[string]any{"status": "active", "paused_at": nil, "resumes_at": nil}); err != nil {
		t.Fatal(err)
	}
	p.waitText("status", "Active")
}

// webhookOrg is the organization the detailed /readyz names for
// connection ("" the single merchant), "" while it is not known: the
// merchant's cache is served before its organization is learned.
func webhookOrg(t *testing.T, readyz, connection string) string {
	t.Helper()
	_, org := webhookState(t, readyz, connection)
	return org
}
