package tools_test

import (
	"strings"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/tools"
)

// TestAnswersASupportDeskCanTrust runs the hard-billing demo customers
// through the MCP client (issue "Answers a support desk can trust").
func TestAnswersASupportDeskCanTrust(t *testing.T) {
	e := newEnv(t, envOptions{})
	cases := []struct {
		email, tool string
		args        map[string]any
		wants       []string
		not         []string
	}{
		{"refunds@example.com", tools.NameOrderHistory, nil, []string{"€28.80, refunded", "(€12.00 refunded)", "totals including tax"}, []string{"€24.00 refunded"}},
		{"incomplete@example.com", tools.NameSubscriptionStatus, nil, []string{"payment needed"}, []string{"next billing"}},
		{"unpaid@example.com", tools.NameSubscriptionStatus, nil, []string{"payment needed"}, []string{"next billing"}},
		{"metered@example.com", tools.NameSubscriptionStatus, nil, []string{"$9.00 / month plus $0.005 per unit", "63,200 used of 10,000 credited (53,200 over)", "$266.00 so far"}, []string{" or "}},
		{"metered@example.com", tools.NameBenefits, nil, []string{"63,200 used of 10,000 credited (53,200 over)"}, nil},
		{"pausing@example.com", tools.NameSubscriptionStatus, nil, []string{"pauses at the end of the current period on 20 Dec 2026"}, nil},
		{"plan.change@example.com", tools.NameSubscriptionStatus, nil, []string{"changes to Pro at the next period on 10 Dec 2026"}, nil},
		{"ending@example.com", tools.NameSubscriptionStatus, nil, []string{"ends (no charges after that) on 15 Jan 2027"}, nil},
		{"discount@example.com", tools.NameSubscriptionStatus, nil, []string{"€19.20 / month", "discount Launch offer: 20% off for 3 months until 8 Jan 2027", "discounts are already applied", "Prices exclude tax"}, nil},
		{"yen@example.com", tools.NameOrderHistory, map[string]any{"invoice_links": true}, []string{"¥4,180", "no invoice has been generated for this order yet", "invoice link (valid for a short time): https://"}, []string{"¥4,180.00"}},
		{"license.limit@example.com", tools.NameBenefits, nil, []string{"3 of 3 activations used (Work MacBook Pro, Home desktop, CI runner)", "usage 950 of 1000", tensed("1 Dec 2026"), "PRO-****-****-C41E"}, []string{"NOT-REAL"}},
	}
	for _, c := range cases {
		t.Run(c.email+"/"+c.tool, func(t *testing.T) {
			got := mustAnswer(t, e.call(t, customer(c.email), c.tool, c.args), c.wants...)
			for _, n := range c.not {
				if strings.Contains(got, n) {
					t.Errorf("answer contains %q:\n%s", n, got)
				}
			}
		})
	}
}

func TestInsightsPickTheLivePlan(t *testing.T) {
	e := newEnv(t, envOptions{})
	res := e.call(t, agent(), tools.NameVisitorInsights, map[string]any{"email": "switcher@example.com"})
	var out tools.InsightsOutput
	structured(t, res, &out)
	if out.SubscriptionView == nil || out.Plan != "Pro (yearly)" || out.Status != "active" || out.NextBilling == nil {
		t.Errorf("live plan = %+v", out.SubscriptionView)
	}
	raw := jsonString(t, res.StructuredContent)
	if !strings.Contains(raw, `"next_billing_at":"20`) || !strings.Contains(raw, `"recent_orders":[{`) {
		t.Errorf("structured content is not in the panel's shape: %s", raw)
	}
}

func TestInvoiceLinksOnlyWhenAsked(t *testing.T) {
	e := newEnv(t, envOptions{cached: true})
	count := func(args map[string]any) (gets, posts int) {
		e.fake.ResetRequests()
		e.call(t, customer("alice@example.com"), tools.NameOrderHistory, args)
		for _, r := range e.fake.Requests() {
			if strings.HasSuffix(r.Path, "/invoice") {
				if r.Method == "GET" {
					gets++
				} else {
					posts++
				}
			}
		}
		return gets, posts
	}
	if g, _ := count(nil); g != 0 {
		t.Errorf("%d invoice requests without invoice_links", g)
	}
	if g, p := count(map[string]any{"invoice_links": true}); g != 4 || p != 0 {
		t.Errorf("invoice_links: %d GETs (want one per paid order, 4), %d POSTs (want none)", g, p)
	}
}

func TestLicenseKeysWithoutTheirScope(t *testing.T) {
	scopes := []string{}
	for _, s := range fakepolar.AllScopes() {
		if !strings.HasPrefix(s, "license_keys:") {
			scopes = append(scopes, s)
		}
	}
	e := newEnv(t, envOptions{scopes: scopes})
	mustAnswer(t, e.call(t, customer("license.limit@example.com"), tools.NameBenefits, nil),
		"PRO-****-****-C41E", "license_keys:read")
}

func TestLocaleFormatsProseOnly(t *testing.T) {
	e := newEnv(t, envOptions{})
	id := caller.Identity{Role: caller.Customer, Email: "alice@example.com", Locale: "de-DE"}
	res := e.call(t, &id, tools.NameSubscriptionStatus, nil)
	mustAnswer(t, res, "24,00 € / month", "14.12.2026")
	if raw := jsonString(t, res.StructuredContent); !strings.Contains(raw, `"next_billing_at":"2026-12-14T09:00:00Z"`) || !strings.Contains(raw, `"amount":2400`) {
		t.Errorf("structured content not machine-readable: %s", raw)
	}
	yen := caller.Identity{Role: caller.Customer, Email: "yen@example.com", Locale: "de-DE"}
	mustAnswer(t, e.call(t, &yen, tools.NameSubscriptionStatus, nil), "3.800 ¥")
}

// tensed is how a key expiring on day (in the demo's fixtures) is said
// today: "expires" before the day, "expired" after it.
func tensed(day string) string { return tensedAs("expires", "expired", day) }

// tensedAs is future+" "+day before day (a demo fixture date) and
// past+" "+day after it.
func tensedAs(future, past, day string) string {
	at, err := time.Parse("2 Jan 2006", day)
	if err == nil && time.Now().After(at.Add(24*time.Hour)) {
		return past + " " + day
	}
	return future + " " + day
}
