//go:build e2e

package polarmcp

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
)

const (
	frankID   = "c1000000-0001-4000-8007-000000000007"
	deskToken = "polar_oat_panel_desk_test_5ecret"
)

// deskServer is polar-mcp http in front of the demo organization served
// over HTTP by the fake Polar API, whose requests the test can read.
func deskServer(t *testing.T, cfg config.Config) (string, *fakepolar.Server) {
	t.Helper()
	return deskServerLogged(t, cfg, io.Discard)
}

// deskServerLogged is deskServer writing its JSON log lines to logs.
func deskServerLogged(t *testing.T, cfg config.Config, logs io.Writer) (string, *fakepolar.Server) {
	t.Helper()
	fake, err := fakepolar.Demo(fakepolar.Options{Tokens: map[string][]string{deskToken: fakepolar.AllScopes()}})
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(fake)
	t.Cleanup(api.Close)
	cfg.AccessToken, cfg.ServerURL = deskToken, api.URL
	base, _ := serveLogged(t, cfg, slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo})))
	return base, fake
}

// lifetime is what the demo customer has paid, net of refunds, in minor
// units, computed from the fixture as the panel must.
func lifetime(t *testing.T, customerID string) int64 {
	t.Helper()
	raw, err := fs.ReadFile(fakepolar.DemoFS(), "orders.json")
	if err != nil {
		t.Fatal(err)
	}
	var orders []struct {
		CustomerID string `json:"customer_id"`
		Paid       bool   `json:"paid"`
		Total      int64  `json:"total_amount"`
		Refunded   int64  `json:"refunded_amount"`
		RefundedTx int64  `json:"refunded_tax_amount"`
	}
	if err := json.Unmarshal(raw, &orders); err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, o := range orders {
		if o.CustomerID == customerID && o.Paid {
			sum += o.Total - o.Refunded - o.RefundedTx
		}
	}
	return sum
}

// auditedSearch reports whether logs hold find_customers's audit line
// naming customerID, and fails the test if the log holds the query.
func auditedSearch(t *testing.T, logs *syncBuffer, customerID string) bool {
	t.Helper()
	found := false
	for line := range strings.Lines(logs.String()) {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil && m["msg"] == "agent lookup" && m["tool"] == "find_customers" &&
			m["customer_id"] == customerID && m["agent_subject"] != "" {
			found = true
		}
		if strings.Contains(line, "Miller") {
			t.Errorf("the log holds the query: %s", line)
		}
	}
	return found
}

// checkPortalLink follows the portal link the card shows on the fake
// Polar API (its customer session token asks the customer portal whom it
// opens as, and until when), checks that the card's expiry is the
// session's and that its copy button copies the link, and returns the
// portal's user.
func (p page) checkPortalLink(fake *fakepolar.Server, link string) map[string]any {
	p.t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		p.t.Fatalf("portal link %q: %v", link, err)
	}
	get := func(path string) map[string]any {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer "+u.Query().Get("customer_session_token"))
		rec := httptest.NewRecorder()
		fake.ServeHTTP(rec, req)
		var body map[string]any
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &body) != nil {
			p.t.Fatalf("following the portal link: %s %d %s", path, rec.Code, rec.Body)
		}
		return body
	}
	session, _ := time.Parse(time.RFC3339Nano, get("/v1/customer-portal/customer-session/introspect")["expires_at"].(string))
	shown, err := time.Parse(time.RFC3339, value[string](p, `document.querySelector('#insights .portal-box time').getAttribute('datetime')`))
	if err != nil || !shown.Equal(session.Truncate(time.Second)) {
		p.t.Errorf("the card shows the link expiring %v, the session expires %v", shown, session)
	}
	if s := value[string](p, `document.querySelector('#insights .portal-box time').textContent`); !strings.Contains(s, "(in 60 min)") && !strings.Contains(s, "(in 59 min)") {
		p.t.Errorf("expiry %q, want in about an hour", s)
	}
	if c := value[string](p, `document.querySelector('#insights .portal-box button.copy').getAttribute('data-copy-text')`); c != link {
		p.t.Errorf("the copy button copies %q, not the link %q", c, link)
	}
	return get("/v1/customer-portal/customer-session/user")
}

// The dashboard link opens the customer in Polar's dashboard for the
// configured environment: sandbox.polar.sh for a sandbox organization
// (TestAgentDeskInChromium checks polar.sh for production).
func TestAgentDeskDashboardLinkInSandbox(t *testing.T) {
	ctx := browser(t)
	base, _ := deskServer(t, config.Config{Environment: "sandbox"})
	p := page{t, ctx}
	p.do("open the panel", chromedp.Navigate(base+"/agent/"))
	p.typeQuery(agentToken(t), "frank.miller@example.com")
	p.waitText("name", "Frank Miller")
	p.waitText("#insights", "Open in Polar")
	href := value[string](p, `document.querySelector('#insights a[data-field=dashboard_url]').href`)
	if want := "https://sandbox.polar.sh/dashboard/northwind-cloud/customers/" + frankID; href != want {
		t.Errorf("sandbox dashboard link %q, want %q", href, want)
	}
}

// The portal-link button of a team member's card creates the session
// for that member (Polar's member_id): the link opens the team's portal
// as them, with a copy button and the session's own expiry.
func TestAgentDeskPortalLinkForATeamMember(t *testing.T) {
	ctx := browser(t)
	base, fake := deskServer(t, config.Config{})
	agent := agentToken(t)
	p := page{t, ctx}
	p.do("open the panel", chromedp.Navigate(base+"/agent/"))
	for _, m := range []struct{ email, memberID, role string }{
		{"ken@acme.example", "ae000000-0001-4000-8003-000000000003", "member"},
		{"billing@acme.example", "ae000000-0001-4000-8002-000000000002", "billing_manager"},
	} {
		p.typeQuery(agent, m.email)
		p.waitText("#insights [data-field=team]", "Acme Robotics")
		p.waitText("#insights", m.email)
		p.do("portal link", chromedp.Click(chromedp.ID("portal-link")))
		p.waitText("#insights .portal-box", "Expires")
		p.waitText("#insights .portal-box .portal-as", "Opens Acme Robotics’s portal as this "+strings.ReplaceAll(m.role, "_", " "))
		link := value[string](p, `document.querySelector('#insights a.portal-url').href`)
		user := p.checkPortalLink(fake, link)
		if user["type"] != "member" || user["member_id"] != m.memberID || user["email"] != m.email || user["role"] != m.role ||
			user["customer_id"] != "c1000000-0001-4000-8004-000000000004" {
			t.Errorf("%s's portal link opens the portal as %v", m.email, user)
		}
	}
}

// typeQuery types q into the search box (the token first) and submits.
func (p page) typeQuery(token, q string) {
	p.t.Helper()
	clear := func(id string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](`document.getElementById(` + strconv.Quote(id) + `).value = ''`)
	}
	p.do("search "+q, clear("token"), chromedp.SendKeys(chromedp.ID("token"), token),
		clear("email"), chromedp.SendKeys(chromedp.ID("email"), q), chromedp.Click(chromedp.CSS("button[type=submit]")))
}

// value evaluates expr in the page.
func value[T any](p page, expr string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// The desk in headless Chromium against the fake Polar API: a surname
// finds the customer, the card shows usage in the agent's locale, customer
// since, lifetime value, the dashboard link, license activations; the
// portal-link button creates a session; recent lookups come back in one
// click; "/" focuses the search.
func TestAgentDeskInChromium(t *testing.T) {
	ctx := browser(t)
	logs := &syncBuffer{}
	base, fake := deskServerLogged(t, config.Config{}, logs)
	agent := agentToken(t)
	p := page{t, ctx}
	p.do("open the panel", chromedp.Navigate(base+"/agent/"))

	// A surname finds Frank Miller with one request to Polar (his plan,
	// kept nowhere yet, is shown on lookup); picking him looks him up.
	fake.ResetRequests()
	p.typeQuery(agent, "Miller")
	p.waitText("#results", "Frank Miller")
	p.waitText("#results", "plan shown on lookup")
	if n := fake.RequestCount(); n != 1 {
		t.Errorf("a search cost %d requests to Polar, want 1: %v", n, fake.Requests())
	}
	// The search is audited like a lookup: the agent, the customer it
	// showed by Polar id, never the query.
	if !auditedSearch(t, logs, frankID) {
		t.Errorf("no audit line names the search's match:\n%s", logs)
	}
	p.do("pick Frank", chromedp.Click(chromedp.CSS(`#results button[data-email="Frank.Miller@Example.com"]`)))
	p.waitText("name", "Frank Miller")

	// Usage in the agent's locale (en-US): 12,840 used, 10,000 credited.
	p.waitText("#insights .card-meters", "12,840 used")
	p.waitText("#insights .card-meters", "10,000 credited")
	if s := value[string](p, `document.querySelector('#insights .card-meters').innerText`); strings.Contains(s, "12840") {
		t.Errorf("usage shows a raw number: %q", s)
	}

	// Customer since and lifetime value.
	p.waitText("customer_since", "3 Oct 2026")
	cents := lifetime(t, frankID)
	p.waitText("lifetime_value", fmt.Sprintf("$%d.%02d", cents/100, cents%100))
	p.waitText("lifetime_value", "3 paid orders")

	// The dashboard link opens Frank in Polar's (production) dashboard.
	href := value[string](p, `document.querySelector('#insights a[data-field=dashboard_url]').href`)
	if want := "https://polar.sh/dashboard/northwind-cloud/customers/" + frankID; href != want {
		t.Errorf("dashboard link %q, want %q", href, want)
	}
	if rel := value[string](p, `document.querySelector('#insights a[data-field=dashboard_url]').rel`); rel != "noopener noreferrer" {
		t.Errorf("dashboard link rel %q", rel)
	}

	// Copy buttons for the email and the ids.
	copies := value[[]string](p, `[...document.querySelectorAll('#insights button.copy')].map(b => b.getAttribute('data-copy-text'))`)
	for _, want := range []string{"frank.miller@example.com", frankID, "usr_1007"} {
		if !slices.Contains(copies, want) {
			t.Errorf("no copy button for %q among %q", want, copies)
		}
	}

	// The portal-link button creates a session for Frank and shows it.
	fake.ResetRequests()
	p.do("portal link", chromedp.Click(chromedp.ID("portal-link")))
	p.waitText("#insights .portal-box", "https://polar.sh/northwind-cloud/portal?customer_session_token=polar_cst_")
	p.waitText("#insights .portal-box", "Expires")
	link := value[string](p, `document.querySelector('#insights a.portal-url').href`)
	if !strings.HasPrefix(link, "https://polar.sh/northwind-cloud/portal?customer_session_token=polar_cst_") {
		t.Errorf("portal link %q", link)
	}
	if !slices.ContainsFunc(fake.Requests(), func(r fakepolar.Request) bool {
		return r.Method == http.MethodPost && r.Path == "/v1/customer-sessions/"
	}) {
		t.Errorf("no customer session was created: %v", fake.Requests())
	}
	if value[int](p, `document.querySelectorAll('#insights .portal-box button.copy').length`) != 1 {
		t.Error("the portal link has no copy button")
	}
	// Followed on the fake Polar API, the link opens Frank's portal until
	// the expiry the panel shows.
	if user := p.checkPortalLink(fake, link); user["customer_id"] != frankID {
		t.Errorf("the portal link opens the portal as %v, want Frank", user)
	}
	if n := value[int](p, `document.querySelectorAll('#insights .portal-box .portal-as').length`); n != 0 {
		t.Error("an individual customer's portal link is said to open a team's portal")
	}

	// Part of an email finds the customer whose license key is at its
	// limit; the key shows its activations and devices.
	p.typeQuery(agent, "license.limit")
	p.do("pick Liam", chromedp.Click(chromedp.CSS(`#results button[data-email="license.limit@example.com"]`)))
	p.waitText("activations", "3 of 3 activations")
	p.waitText("activations", "Work MacBook Pro")
	p.waitText("activations", "CI runner")

	// Recent lookups: both, the latest first; one click looks Frank up.
	p.waitText("#recent", "Liam O'Brien")
	if got := value[string](p, `[...document.querySelectorAll('#recent button')].map(b => b.textContent).join('|')`); got != "Liam O'Brien|Frank Miller" {
		t.Errorf("recent lookups %q", got)
	}
	p.do("recent Frank", chromedp.Click(chromedp.CSS(`#recent button[data-email="frank.miller@example.com"]`)))
	p.waitText("name", "Frank Miller")

	// Invoice numbers, and their links on request.
	p.waitText("#insights .card-orders", "NWC-0018")
	p.do("invoice links", chromedp.Click(chromedp.ID("invoice-links")))
	p.waitText("#insights .card-orders .desk-note", "valid for a short time")
	if n := value[int](p, `document.querySelectorAll('#insights li[data-invoice="NWC-0018"] a.invoice-link[href^="https://"]').length`); n != 1 {
		t.Errorf("%d invoice links for NWC-0018, want 1", n)
	}

	// A search that matches nobody says so.
	p.typeQuery(agent, "Zebedee Quux")
	p.waitText("#results", "No customer matches")

	// A bare order id is no customer's id: one click searches it as an
	// order id, and finds its customer, the plan read from the order.
	order := testkit.DemoOrderOf(t, frankID)
	p.typeQuery(agent, order)
	p.waitText("#results", "No customer matches")
	fake.ResetRequests()
	p.do("as an order id", chromedp.Click(chromedp.CSS(`#results button.also-try[data-query="order `+order+`"]`)))
	p.waitText("#results", "order "+order)
	p.waitText("#results", "API Usage (active)")
	if n := fake.RequestCount(); n != 1 {
		t.Errorf("a search by order id cost %d requests to Polar, want 1: %v", n, fake.Requests())
	}

	// "/" focuses the search from anywhere but a field.
	p.do("blur", chromedp.Evaluate[chromedp.Void](`document.activeElement.blur()`))
	p.do("press /", chromedp.KeyEvent("/"))
	if id := value[string](p, `document.activeElement.id`); id != "email" {
		t.Errorf("after /, the focus is on %q, want the search box", id)
	}

	// The token stays in this tab's sessionStorage, the recent lookups too;
	// nothing in the page's URL.
	if loc := value[string](p, `location.href`); strings.Contains(loc, "@") || strings.Contains(loc, "?") {
		t.Errorf("the page's URL carries data: %s", loc)
	}
	p.typeQuery(agent, "Miller")
	p.do("pick Frank", chromedp.Click(chromedp.CSS(`#results button[data-email="Frank.Miller@Example.com"]`)))
	p.waitText("#insights .card-meters", "12,840 used")
	p.do("settle", chromedp.Evaluate[chromedp.Void](`document.getElementById('results').hidden = true`))
	// POLAR_MCP_SCREENSHOTS=dir keeps it as agent-desk.png: README's
	// docs/agent-panel.png.
	p.screenshot("agent-desk")
}
