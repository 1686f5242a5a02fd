package tools_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/internal/panel"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/tools"
)

// Each billing shape of issue 19, said truly through an MCP client, in
// the text and in structuredContent, to customers and agents. The shapes
// live in the Kestrel fixtures (testkit.OtherFS) and a few in the demo.

func otherEnv(t *testing.T) *env { return newEnv(t, envOptions{fixtures: testkit.OtherFS()}) }

func notContains(t *testing.T, got string, nots ...string) {
	t.Helper()
	for _, n := range nots {
		if strings.Contains(got, n) {
			t.Errorf("answer contains %q:\n%s", n, got)
		}
	}
}

func TestFixedFeePlusMeteredIsPlusCurrenciesAreOr(t *testing.T) {
	for _, e := range []*env{otherEnv(t), newEnv(t, envOptions{})} {
		res := e.call(t, nil, tools.NameProducts, nil)
		got := testkit.Text(res)
		var out tools.ProductsOutput
		structured(t, res, &out)
		for _, p := range out.Products {
			kinds := map[string]bool{}
			for _, pr := range p.Prices {
				kinds[pr.Kind] = true
			}
			if kinds["fixed"] && kinds["metered"] {
				if !strings.Contains(p.Pricing, " plus ") || strings.Contains(p.Pricing, " or ") {
					t.Errorf("%s: pricing %q, want the fixed fee plus the metered price", p.Name, p.Pricing)
				}
				if !strings.Contains(got, p.Name+": "+p.Pricing) {
					t.Errorf("%s: text does not say %q:\n%s", p.Name, p.Pricing, got)
				}
			}
		}
	}
	got := mustAnswer(t, newEnv(t, envOptions{}).call(t, nil, tools.NameProducts, nil),
		"API Usage: $9.00 / month plus $0.005 per unit", "Pro: €24.00 / month or $26.00 / month")
	notContains(t, got, "$9.00 / month or")
}

func TestEndDateWithoutCancelFlagPromisesNoCharge(t *testing.T) {
	e := otherEnv(t)
	for _, id := range []*caller.Identity{customer("vera@example.net"), agent()} {
		res := e.call(t, id, tools.NameSubscriptionStatus, map[string]any{"email": "vera@example.net"})
		got := mustAnswer(t, res, "ends 13 Dec 2026 (no further charges)")
		notContains(t, got, "next billing", "ends (no charges after that)")
		var out tools.SubscriptionStatusOutput
		structured(t, res, &out)
		v := out.Subscriptions[0]
		if v.NextBilling != nil || v.CancelsAt == nil || v.CancelsAt.Format(time.DateOnly) != "2026-12-13" || v.Canceling {
			t.Errorf("structured = %+v", v)
		}
	}
	// An end after the current period still has its charge first.
	mustAnswer(t, newEnv(t, envOptions{}).call(t, customer("ending@example.com"), tools.NameSubscriptionStatus, nil),
		"next billing", "ends (no charges after that) on 15 Jan 2027")
}

func TestDisputedOrders(t *testing.T) {
	e := otherEnv(t)
	res := e.call(t, agent(), tools.NameOrderHistory, map[string]any{"email": "rosa@example.net"})
	mustAnswer(t, res, "£10.80, paid, DISPUTED (needs response, reason product not received), response due by 18 Dec 2026")
	var out tools.OrderHistoryOutput
	structured(t, res, &out)
	d := out.Orders[1].Dispute
	if d == nil || d.Status != "needs_response" || d.ResponseDue == nil || d.ResponseDue.Format(time.DateOnly) != "2026-12-18" || d.Amount != 1080 || d.Currency != "GBP" {
		t.Errorf("dispute = %+v", d)
	}
	if out.Orders[0].Dispute != nil || out.Orders[2].Dispute != nil {
		t.Errorf("undisputed orders marked disputed: %+v", out.Orders)
	}
	got := mustAnswer(t, e.call(t, customer("rosa@example.net"), tools.NameOrderHistory, nil),
		"£10.80, paid, the payment is disputed with the bank (a chargeback is open)")
	notContains(t, got, "DISPUTED", "response due")
	ins := e.call(t, agent(), tools.NameVisitorInsights, map[string]any{"email": "rosa@example.net"})
	mustAnswer(t, ins, "DISPUTED (needs response")
	// The demo shows one too.
	mustAnswer(t, newEnv(t, envOptions{}).call(t, agent(), tools.NameOrderHistory, map[string]any{"email": "metered@example.com"}),
		"DISPUTED (needs response, reason fraudulent), response due by 12 Dec 2026")
}

func TestPastDueAndPendingSayWhatIsOwedAndWhen(t *testing.T) {
	e := otherEnv(t)
	for _, id := range []*caller.Identity{customer("rosa@example.net"), agent()} {
		res := e.call(t, id, tools.NameSubscriptionStatus, map[string]any{"email": "rosa@example.net"})
		got := mustAnswer(t, res, "past due since 4 Dec 2026, £27.84 outstanding, payment retried on 11 Dec 2026")
		notContains(t, got, "next billing 4 Dec")
		var out tools.SubscriptionStatusOutput
		structured(t, res, &out)
		p := out.Subscriptions[0].PaymentDue
		if p == nil || p.Amount != 2784 || p.Outstanding != "£27.84" || p.RetryAt == nil || p.RetryAt.Format(time.DateOnly) != "2026-12-11" || p.PastDueSince == nil {
			t.Errorf("payment due = %+v", p)
		}
	}
	res := e.call(t, customer("rosa@example.net"), tools.NameOrderHistory, nil)
	mustAnswer(t, res, "£27.84, pending, £27.84 due, payment retried on 11 Dec 2026")
	var out tools.OrderHistoryOutput
	structured(t, res, &out)
	if o := out.Orders[0]; o.Due != 2784 || o.RetryAt == nil || o.RetryAt.Format(time.DateOnly) != "2026-12-11" {
		t.Errorf("pending order = %+v", o)
	}
	// The demo's pending order has its retry date too.
	mustAnswer(t, newEnv(t, envOptions{}).call(t, customer("dave@example.com"), tools.NameOrderHistory, nil), "payment", "27 Nov 2026")
}

func TestOrdersThatWereNotChargedAsListed(t *testing.T) {
	e := otherEnv(t)
	res := e.call(t, customer("rosa@example.net"), tools.NameOrderHistory, nil)
	mustAnswer(t, res, "Your last 5 orders",
		"£10.80, paid, paid from the account balance (no card was charged)",
		"£0.00, paid, nothing was charged: the discount Founders: first month free covered the full £9.00",
		"Insights Team (5 seats) (one-time purchase), £72.00")
	var out tools.OrderHistoryOutput
	structured(t, res, &out)
	if out.Orders[2].AppliedBalance != 1080 || out.Orders[3].Seats != 5 || out.Orders[4].DiscountAmount != 900 || out.Orders[4].Discount == "" {
		t.Errorf("orders = %+v", out.Orders)
	}
	mustAnswer(t, e.call(t, customer("rosa@example.net"), tools.NameOrderHistory, map[string]any{"limit": 1}), "Your last order, total including tax:")
	// The demo shows one paid from balance too.
	mustAnswer(t, newEnv(t, envOptions{}).call(t, customer("pausing@example.com"), tools.NameOrderHistory, nil),
		"$26.00, paid, paid from the account balance (no card was charged)")
}

func TestGrantsThatAreNotActive(t *testing.T) {
	e := otherEnv(t)
	for _, id := range []*caller.Identity{customer("theo@example.net"), agent()} {
		res := e.call(t, id, tools.NameBenefits, map[string]any{"email": "theo@example.net"})
		mustAnswer(t, res, "1 active benefit:", "Not active:",
			"Access to the kestrel/insights-sdk repository: could not be granted: the GitHub invitation failed",
			"Kestrel Desktop installers: being granted",
			"Monthly benchmark report delivered by email: revoked on 29 Nov 2026")
		var out tools.BenefitsOutput
		structured(t, res, &out)
		statuses := map[string]string{}
		for _, v := range out.Inactive {
			statuses[v.Type] = v.Status
		}
		if statuses["github_repository"] != "errored" || statuses["downloadables"] != "pending" || statuses["custom"] != "revoked" || out.Benefits[0].Status != "granted" {
			t.Errorf("statuses = %v, active %+v", statuses, out.Benefits)
		}
	}
	res := e.call(t, agent(), tools.NameVisitorInsights, map[string]any{"email": "theo@example.net"})
	mustAnswer(t, res, "Not active: Access to the kestrel/insights-sdk repository (errored")
	var out tools.InsightsOutput
	structured(t, res, &out)
	if len(out.InactiveBenefits) != 3 {
		t.Errorf("insights inactive benefits = %+v", out.InactiveBenefits)
	}
	// A grant revoked while the same benefit is held again is not listed.
	got := mustAnswer(t, newEnv(t, envOptions{}).call(t, customer("alice@example.com"), tools.NameBenefits, nil), "4 active benefits:")
	notContains(t, got, "benefit(s)")
}

func TestPlanChangeToAPrivateProductIsNamed(t *testing.T) {
	e := newEnv(t, envOptions{fixtures: testkit.OtherFS(), cached: true})
	for _, id := range []*caller.Identity{customer("uma@example.net"), agent()} {
		res := e.call(t, id, tools.NameSubscriptionStatus, map[string]any{"email": "uma@example.net"})
		mustAnswer(t, res, "changes to Insights Legacy at the next period on 20 Dec 2026")
	}
	// The product was asked for once, by id, and kept.
	n := 0
	for _, r := range e.fake.Requests() {
		if strings.HasPrefix(r.Path, "/v1/products/d1") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the private product was fetched %d times, want once", n)
	}
}

func TestPastDatesInThePastTense(t *testing.T) {
	res := otherEnv(t).call(t, customer("theo@example.net"), tools.NameBenefits, nil)
	got := mustAnswer(t, res, "expired 30 Nov 2026")
	notContains(t, got, "expires 30 Nov 2026")
	var out tools.BenefitsOutput
	structured(t, res, &out)
	if l := out.Benefits[0].License; l == nil || !l.Expired {
		t.Errorf("license = %+v", l)
	}
	// A key expiring later is still "expires".
	mustAnswer(t, otherEnv(t).call(t, customer("oliver@kestrel-client.example"), tools.NameBenefits, nil), "expires 3 Nov 2027")
}

func TestCatalogSaysTrialsDescriptionsAndTierKinds(t *testing.T) {
	res := otherEnv(t).call(t, nil, tools.NameProducts, nil)
	mustAnswer(t, res, "Insights Team: Per seat, graduated (each range of seats at its own price): seats 1–5 at £12.00 each, seats 6+ at £9.00 each / month; 14-day free trial. Shared dashboards for the whole team.")
	var out tools.ProductsOutput
	structured(t, res, &out)
	for _, p := range out.Products {
		if p.Name == "Insights Team" && (p.Trial != "14-day free trial" || p.TrialDays != 14 || p.Prices[0].SeatTierType != "graduated" || p.Description == "") {
			t.Errorf("Insights Team = %+v", p)
		}
		if p.Name == "Insights Legacy" {
			t.Error("a private product is on sale")
		}
	}
	mustAnswer(t, newEnv(t, envOptions{}).call(t, nil, tools.NameProducts, nil),
		"Team: Per seat, by volume (every seat at the price of the tier the total falls in)", "14-day free trial")
}

func TestAgentsSeeTheCancellationReason(t *testing.T) {
	e := otherEnv(t)
	res := e.call(t, agent(), tools.NameSubscriptionStatus, map[string]any{"email": "vera@example.net"})
	mustAnswer(t, res, `cancellation reason: switched service ("Moving to another tool next month.")`)
	// A comment with card-like digits is never repeated; the reason is.
	res = e.call(t, agent(), tools.NameSubscriptionStatus, map[string]any{"email": "theo@example.net"})
	got := mustAnswer(t, res, "cancellation reason: too expensive")
	notContains(t, got, "4242", "charged my card")
	var out tools.SubscriptionStatusOutput
	structured(t, res, &out)
	if c := out.Subscriptions[0].Cancellation; c == nil || c.Reason != "too_expensive" || c.Comment != "" {
		t.Errorf("cancellation = %+v", c)
	}
	if raw := jsonString(t, res.StructuredContent); strings.Contains(raw, "4242") {
		t.Errorf("card digits in structured content: %s", raw)
	}
	ins := jsonString(t, e.call(t, agent(), tools.NameVisitorInsights, map[string]any{"email": "vera@example.net"}).StructuredContent)
	if !strings.Contains(ins, `"cancellation":{"comment":"Moving to another tool next month.","reason":"switched_service"}`) {
		t.Errorf("insights: %s", ins)
	}
	// Customers are not shown it.
	res = e.call(t, customer("vera@example.net"), tools.NameSubscriptionStatus, nil)
	notContains(t, mustAnswer(t, res), "cancellation reason", "Moving to")
	var mine tools.SubscriptionStatusOutput
	structured(t, res, &mine)
	if mine.Subscriptions[0].Cancellation != nil {
		t.Errorf("a customer got the cancellation reason: %+v", mine.Subscriptions[0].Cancellation)
	}
}

func TestWording(t *testing.T) {
	e := newEnv(t, envOptions{})
	mustAnswer(t, e.call(t, customer("alice@example.com"), tools.NameOrderHistory, map[string]any{"limit": 3}), "Your last 3 orders, totals including tax:")
	mustAnswer(t, e.call(t, agent(), tools.NameOrderHistory, map[string]any{"email": "alice@example.com", "limit": 1}), "Their last order, total including tax:")
	got := mustAnswer(t, e.call(t, agent(), tools.NameManageSubscription, map[string]any{"email": "alice@example.com", "action": "cancel"}),
		"they open the link, choose their subscription", "They keep access")
	notContains(t, got, "your subscription", "You keep")
	mustAnswer(t, e.call(t, customer("alice@example.com"), tools.NameManageSubscription, map[string]any{"action": "cancel"}),
		"open the link, choose your subscription")

	// Usage: text, structured and panel alike, in the reader's locale.
	o := otherEnv(t)
	res := o.call(t, customer("rosa@example.net"), tools.NameSubscriptionStatus, nil)
	mustAnswer(t, res, "Queries: 12,840 used of 10,000 credited (2,840 over)")
	var out tools.SubscriptionStatusOutput
	structured(t, res, &out)
	if m := out.Subscriptions[0].Meters[0]; m.Usage != "12,840 used of 10,000 credited (2,840 over)" {
		t.Errorf("meter = %+v", m)
	}
	de := &caller.Identity{Role: caller.Customer, Email: "rosa@example.net", Locale: "de"}
	mustAnswer(t, o.call(t, de, tools.NameSubscriptionStatus, nil), "12.840 used of 10.000 credited (2.840 over)", "27,84 £ outstanding", "11.12.2026")
	var card panel.Insights
	raw := jsonString(t, o.call(t, agent(), tools.NameVisitorInsights, map[string]any{"email": "rosa@example.net"}).StructuredContent)
	if err := json.Unmarshal([]byte(raw), &card); err != nil {
		t.Fatal(err)
	}
	if card.Meters[0].Usage != "12,840 used of 10,000 credited (2,840 over)" || card.PaymentDue == nil || card.PaymentDue.Outstanding != "£27.84" ||
		card.RecentOrders[1].Dispute == nil || card.RecentOrders[1].Dispute.ResponseDue == "" || card.RecentOrders[2].AppliedBalance != 1080 {
		t.Errorf("the panel's card reads %+v", card)
	}
}

func TestCatalogInTheReadersLocale(t *testing.T) {
	de := &caller.Identity{Role: caller.Customer, Email: "alice@example.com", Locale: "de"}
	got := mustAnswer(t, newEnv(t, envOptions{}).call(t, de, tools.NameProducts, nil), "Pro: 24,00 € / month or 26,00 $ / month")
	notContains(t, got, "€24.00")
}

// TestDisputesWithoutTheirScope: without the optional disputes:read the
// orders are answered as Polar lists them; an agent is told why disputes
// are missing, a customer is not told about the merchant's setup.
func TestDisputesWithoutTheirScope(t *testing.T) {
	var scopes []string
	for _, s := range fakepolar.AllScopes() {
		if !strings.HasPrefix(s, "disputes:") {
			scopes = append(scopes, s)
		}
	}
	e := newEnv(t, envOptions{fixtures: testkit.OtherFS(), scopes: scopes})
	got := mustAnswer(t, e.call(t, agent(), tools.NameOrderHistory, map[string]any{"email": "rosa@example.net"}),
		"£10.80, paid", "disputes are not shown: the Polar token lacks the optional disputes:read scope")
	notContains(t, got, "DISPUTED")
	got = mustAnswer(t, e.call(t, customer("rosa@example.net"), tools.NameOrderHistory, nil), "Your last 5 orders")
	notContains(t, got, "disputes:read", "Note:", "disputed")
}
