//go:build e2e

package panel

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// frankInsights is a customer with the desk's facts: a metered plan over
// its credits, a license key with activations, ids, lifetime value and
// the dashboard link.
func frankInsights() Insights {
	return Insights{
		Email: "frank.miller@example.com", Found: true, Name: "Frank Miller", CustomerType: "individual",
		Plan: "API Usage", Status: "active", Price: "$9.00 / month",
		Meters:        []Meter{{Name: "API requests", Consumed: 12840, Credited: 10000, Balance: -2840}},
		Subscriptions: []string{"API Usage: active, $9.00 / month"},
		RecentOrders:  []Order{{Date: "2026-11-03T13:15:03Z", Item: "API Usage", Total: "$10.71", Status: "paid", Invoice: "NWC-0018"}},
		ActiveBenefits: []Benefit{{Name: "Pro license", Type: "license_keys", LicenseKey: "PRO-****-****-7F3A",
			License: &License{Status: "granted", Activations: 2, Limit: 3, Devices: []string{"Work MacBook Pro", "CI runner"}}}},
		Desk: &Desk{CustomerID: "c1000000-0001-4000-8007-000000000007", ExternalID: "usr_1007",
			CustomerSince: "2026-10-03T13:12:00Z",
			LifetimeValue: &Lifetime{Total: "$21,420.00", Amounts: []Amount{{Amount: 2142000, Currency: "USD"}}, PaidOrders: 1234, Orders: 1240},
			DashboardURL:  "https://sandbox.polar.sh/dashboard/northwind-cloud/customers/c1000000-0001-4000-8007-000000000007"},
	}
}

// The MCP App card shows the desk's facts as the panel does, and opens
// the dashboard link through the host (ui/open-link).
func TestAppShowsTheDeskFacts(t *testing.T) {
	ctx := browser(t)
	result := map[string]any{
		"content":           []map[string]string{{"type": "text", "text": "Frank Miller"}},
		"structuredContent": frankInsights(),
	}
	appJSON, _ := json.Marshal(AppHTML())
	resultJSON, _ := json.Marshal(result)
	host := strings.Replace(hostPage, "window.hostLog.push(m.method ? m.method : 'reply');",
		"window.hostLog.push(m.method ? m.method : 'reply'); if (m.method === 'ui/open-link') { window.opened = m.params.url; }", 1)
	host = strings.Replace(host, "locale: 'en-GB'", "locale: 'en-US'", 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", hostCSP)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, host, appJSON, resultJSON)
	}))
	defer srv.Close()
	requests := interceptRequests(t, ctx, srv.URL)
	if err := chromedp.Do(within(t, ctx), chromedp.Navigate(srv.URL+"/host.html")); err != nil {
		t.Fatal(err)
	}
	frames, err := chromedp.Run(within(t, ctx), chromedp.Nodes(chromedp.CSS("iframe")))
	if err != nil || len(frames) != 1 {
		t.Fatalf("iframe: %v (%d)", err, len(frames))
	}
	frame := frames[0]
	if err := chromedp.Do(within(t, ctx), chromedp.WaitVisible(chromedp.CSS("article.card"), chromedp.FromNode(frame))); err != nil {
		t.Fatalf("the card never showed: %v", err)
	}
	for sel, want := range map[string]string{
		".card-meters":                "12,840 used of 10,000 credited (2,840 over)",
		"[data-field=customer_since]": "Oct 3, 2026",
		"[data-field=lifetime_value]": "$21,420.00",
		"[data-field=customer_id]":    "c1000000-0001-4000-8007-000000000007",
		"[data-field=external_id]":    "usr_1007",
		"[data-field=activations]":    "2 of 3 activations",
		".license-devices":            "Work MacBook Pro",
		".card-orders":                "NWC-0018",
	} {
		if got := text(t, ctx, sel, frame); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want it to contain %q", sel, got, want)
		}
	}
	if got := text(t, ctx, "[data-field=lifetime_value]", frame); !strings.Contains(got, "1,234 paid orders") {
		t.Errorf("lifetime value %q: the order count is not in the locale's format", got)
	}
	if err := chromedp.Do(within(t, ctx), chromedp.Click(chromedp.CSS("a[data-field=dashboard_url]"), chromedp.FromNode(frame))); err != nil {
		t.Fatal(err)
	}
	opened, err := chromedp.Run(within(t, ctx), chromedp.Poll[string](`window.opened`))
	if want := frankInsights().Desk.DashboardURL; err != nil || opened != want {
		t.Errorf("the dashboard link asked the host to open %q (%v), want %q", opened, err, want)
	}
	requests.check(t)
}

// A dashboard link that is not Polar's dashboard is not shown.
func TestAppDropsAForeignDashboardLink(t *testing.T) {
	ctx := browser(t)
	ins := frankInsights()
	ins.Desk.DashboardURL = "https://evil.example/dashboard/x/customers/y"
	appJSON, _ := json.Marshal(AppHTML())
	resultJSON, _ := json.Marshal(map[string]any{"structuredContent": ins})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", hostCSP)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, hostPage, appJSON, resultJSON)
	}))
	defer srv.Close()
	if err := chromedp.Do(within(t, ctx), chromedp.Navigate(srv.URL+"/host.html")); err != nil {
		t.Fatal(err)
	}
	frames, err := chromedp.Run(within(t, ctx), chromedp.Nodes(chromedp.CSS("iframe")))
	if err != nil || len(frames) != 1 {
		t.Fatalf("iframe: %v", err)
	}
	if err := chromedp.Do(within(t, ctx), chromedp.WaitVisible(chromedp.CSS("[data-field=customer_id]"), chromedp.FromNode(frames[0]))); err != nil {
		t.Fatal(err)
	}
	links, err := chromedp.Run(within(t, ctx), chromedp.Nodes(chromedp.CSS("a"), chromedp.AtLeast(0), chromedp.FromNode(frames[0])))
	if err != nil || len(links) != 0 {
		t.Errorf("%d links in the card (%v), want none", len(links), err)
	}
}
