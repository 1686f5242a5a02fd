//go:build e2e

package panel

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func teamInsights() Insights {
	return Insights{
		Email: "team@acme.example", Found: true, Name: "Acme Inc", CustomerType: "team",
		Plan: "Team", Status: "trialing", Price: "€120.00 / month", Seats: 5,
		TrialEndsAt: "2026-12-01T00:00:00Z", NextBillingAt: "2026-12-01T00:00:00Z",
		Subscriptions: []string{"Team: trialing"}, RecentOrders: []Order{}, ActiveBenefits: []Benefit{},
	}
}

func bobInsights() Insights {
	return Insights{
		Email: "bob@example.com", Found: true, Name: "Bob Smith", CustomerType: "individual",
		Plan: "Starter", Status: "active", Price: "$9.00 / month", CancelAtPeriodEnd: true,
		CancelsAt:     "2026-12-31T00:00:00Z",
		Subscriptions: []string{"Starter: active, cancels 31 Dec 2026"},
		RecentOrders:  []Order{{Date: "2026-11-30T10:00:00Z", Item: "Starter", Total: "$9.00", Status: "paid"}},
	}
}

// waitFor polls the page until the JavaScript expression is true, or
// fails the test with what the card region shows.
func waitFor(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	if _, err := chromedp.Run(within(t, ctx), chromedp.Poll[bool](expr)); err != nil {
		shown, _ := chromedp.Run(within(t, ctx), chromedp.Evaluate[string](`document.getElementById('insights').innerText`))
		t.Fatalf("%s: %v; the panel shows %q", what, err, shown)
	}
}

func field(name string) string {
	return `(document.querySelector('#insights [data-field=` + name + `]') || {}).innerText`
}

func is(expr, want string) string { return expr + ` === ` + strconv.Quote(want) }

// clearField empties an input as an agent selecting and deleting would.
func clearField(id string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`document.getElementById(` + strconv.Quote(id) + `).value = ''`)
}

// lookUp types token and email like an agent and submits with the button.
func lookUp(t *testing.T, ctx context.Context, token, email string) {
	t.Helper()
	if err := chromedp.Do(within(t, ctx),
		clearField("token"),
		chromedp.SendKeys(chromedp.ID("token"), token),
		clearField("email"),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
	); err != nil {
		t.Fatalf("look up %s: %v", email, err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(within(t, ctx), chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

func TestPanelInBrowser(t *testing.T) {
	ctx := browser(t)
	c := newCustomers(carolInsights(), teamInsights(), bobInsights())
	srv := newPanelServer(t, c)
	requests := interceptRequests(t, ctx, srv.URL)
	if err := chromedp.Do(within(t, ctx), chromedp.Navigate(srv.URL+"/agent/")); err != nil {
		t.Fatal(err)
	}

	// Refusals come first and say what is wrong.
	lookUp(t, ctx, expiredToken, "carol@example.com")
	waitFor(t, ctx, "expired token refused", `!!document.querySelector('#insights [data-state=refused]')`)
	if got := text(t, ctx, "#insights", nil); !strings.Contains(got, "Token refused") || !strings.Contains(got, "expired") {
		t.Errorf("expired token: %q", got)
	}
	lookUp(t, ctx, customerToken, "carol@example.com")
	waitFor(t, ctx, "customer token refused", `(document.querySelector('#insights [data-state=refused]') || {}).innerText?.includes('customer token')`)

	// A paused customer.
	lookUp(t, ctx, agentToken, "carol@example.com")
	waitFor(t, ctx, "carol's card", is(field("name"), "Carol Jones"))
	for name, want := range map[string]string{"plan": "Pro", "status": "Paused", "paused_at": "Paused since\n10 Nov 2026", "resumes_at": "Resumes\n10 Jan 2027"} {
		if got := eval[string](t, ctx, field(name)); got != want {
			t.Errorf("carol %s: %q, want %q", name, got, want)
		}
	}
	if got := text(t, ctx, "#insights .license-key", nil); got != "POLAR-****-****-7F3A" {
		t.Errorf("license key shown as %q", got)
	}
	waitFor(t, ctx, "live updates on", `document.getElementById('live').dataset.live === 'on'`)
	t.Logf("desktop screenshot: %s", screenshot(t, ctx, "agent-panel"))

	// The token is in this tab's sessionStorage, and nowhere else.
	if got := eval[string](t, ctx, `sessionStorage.getItem('polar-mcp.agent-token')`); got != agentToken {
		t.Errorf("sessionStorage holds %q", got)
	}
	if loc := eval[string](t, ctx, `location.href`); strings.Contains(loc, agentToken) || strings.Contains(loc, "email") {
		t.Errorf("the URL shows the lookup: %s", loc)
	}
	if cookies := eval[string](t, ctx, `document.cookie`); cookies != "" {
		t.Errorf("cookies set: %q", cookies)
	}

	// A live update arrives over the events stream and the card changes.
	resumed := carolInsights()
	resumed.Status, resumed.PausedAt, resumed.ResumesAt, resumed.NextBillingAt = "active", "", "", "2027-01-10T00:00:00Z"
	c.set(resumed)
	waitFor(t, ctx, "live update", is(field("status"), "Active"))
	if got := eval[string](t, ctx, field("next_billing_at")); got != "Next billing\n10 Jan 2027" {
		t.Errorf("after the update, next billing %q", got)
	}
	if got := eval[bool](t, ctx, `!document.querySelector('#insights [data-field=paused_at]')`); !got {
		t.Error("the paused date stayed after the customer resumed")
	}

	// A trialing team, submitted with the keyboard (Enter in the email field).
	if err := chromedp.Do(within(t, ctx),
		clearField("email"),
		chromedp.SendKeys(chromedp.ID("email"), "team@acme.example\n"),
	); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "team card", is(field("name"), "Acme Inc"))
	if got := eval[string](t, ctx, field("status")); got != "Trial" {
		t.Errorf("team status %q", got)
	}
	if got := eval[string](t, ctx, field("price")); got != "€120.00 / month · 5 seats" {
		t.Errorf("team price %q", got)
	}
	if got := eval[string](t, ctx, field("trial_ends_at")); got != "Trial ends\n1 Dec 2026" {
		t.Errorf("team trial end %q", got)
	}

	// A customer who cancels at the period end.
	lookUp(t, ctx, agentToken, "bob@example.com")
	waitFor(t, ctx, "bob's card", is(field("name"), "Bob Smith"))
	if got := text(t, ctx, "#insights .plan-row", nil); !strings.Contains(got, "Canceling") {
		t.Errorf("bob's plan row %q lacks Canceling", got)
	}
	if got := eval[string](t, ctx, field("cancels_at")); got != "Cancels\n31 Dec 2026" {
		t.Errorf("bob cancels %q", got)
	}

	// Someone Polar does not know.
	lookUp(t, ctx, agentToken, "nobody@example.com")
	waitFor(t, ctx, "not found", `!!document.querySelector('#insights [data-state=notfound]')`)
	if got := text(t, ctx, "#insights", nil); !strings.Contains(got, "nobody@example.com") {
		t.Errorf("not found says %q", got)
	}

	checkRequests(t, srv, "/agent/")
	requests.check(t)
}

// checkRequests asserts the token only ever travelled in the
// Authorization header, never in a URL or a cookie, and that the API
// was called under prefix.
func checkRequests(t *testing.T, srv *panelServer, prefix string) {
	t.Helper()
	var insights, events int
	for _, r := range srv.requests() {
		if strings.Contains(r.URL, "agent-") || strings.Contains(r.URL, "customer-") {
			t.Errorf("a token in a URL: %s", r.URL)
		}
		if r.Cookie != "" {
			t.Errorf("%s sent cookies: %q", r.URL, r.Cookie)
		}
		if strings.Contains(r.URL, "@") || strings.Contains(r.URL, "%40") || strings.Contains(r.URL, "email") {
			t.Errorf("an email in a URL: %s %s", r.Method, r.URL)
		}
		switch {
		case r.Method == http.MethodPost && r.URL == prefix+"api/insights":
			insights++
		case r.Method == http.MethodPost && r.URL == prefix+"api/events":
			events++
		default:
			continue
		}
		if !strings.HasPrefix(r.Authorization, "Bearer ") {
			t.Errorf("%s without a Bearer token", r.URL)
		}
	}
	if insights == 0 || events == 0 {
		t.Errorf("under %s: %d insights and %d events requests", prefix, insights, events)
	}
}

// Under a connection's prefix, at phone width, with a Refresh button.
func TestPanelUnderPrefixAtPhoneWidth(t *testing.T) {
	ctx := browser(t)
	c := newCustomers(carolInsights())
	srv := newPanelServer(t, c)
	if err := chromedp.Do(within(t, ctx),
		chromedp.EmulateViewport(360, 740),
		chromedp.Navigate(srv.URL+"/c/7/agent/"),
	); err != nil {
		t.Fatal(err)
	}
	lookUp(t, ctx, agentToken, "carol@example.com")
	waitFor(t, ctx, "carol's card", is(field("name"), "Carol Jones"))
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 360 {
		t.Errorf("the page is %d px wide at a 360 px viewport", w)
	}
	t.Logf("phone screenshot: %s", screenshot(t, ctx, "agent-panel-360"))

	// Refresh fetches again without events.
	renamed := carolInsights()
	renamed.Plan = "Pro Annual"
	c.mu.Lock()
	c.byID[renamed.Email] = renamed // no notification: only Refresh shows it
	c.mu.Unlock()
	if err := chromedp.Do(within(t, ctx), chromedp.Click(chromedp.ID("refresh"))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "refreshed card", is(field("plan"), "Pro Annual"))

	// Labels, keyboard order and a visible focus ring.
	if got := eval[string](t, ctx, `[...document.querySelectorAll('input')].map(i => i.labels[0].textContent).join('|')`); got != "Agent token|Customer email, name or id" {
		t.Errorf("input labels %q", got)
	}
	if err := chromedp.Do(within(t, ctx), chromedp.Focus(chromedp.ID("token")), chromedp.KeyEvent("\t")); err != nil {
		t.Fatal(err)
	}
	focus := eval[string](t, ctx, `(() => { const e = document.activeElement, s = getComputedStyle(e); return e.id + ' ' + s.outlineStyle + ' ' + s.outlineWidth })()`)
	if focus != "email solid 3px" {
		t.Errorf("after Tab from the token: %q, want the email field with a 3px focus ring", focus)
	}

	// Forget token clears it from the tab.
	if err := chromedp.Do(within(t, ctx), chromedp.Click(chromedp.ID("forget"))); err != nil {
		t.Fatal(err)
	}
	if got := eval[bool](t, ctx, `sessionStorage.getItem('polar-mcp.agent-token') === null && document.getElementById('token').value === ''`); !got {
		t.Error("Forget token left the token behind")
	}
	checkRequests(t, srv, "/c/7/agent/")
}
