//go:build e2e

package panel

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// rosaInsights is get_visitor_insights's answer for a past-due customer
// with a disputed, a balance-paid and a pending order, usage over its
// credits, a cancellation reason and grants that are not active.
func rosaInsights() Insights {
	return Insights{
		Email: "rosa@example.net", Found: true, Name: "Rosa Díaz", CustomerType: "individual",
		Plan: "Insights Usage", Status: "past_due", Price: "£9.00 / month plus £0.005 per unit of Queries",
		PaymentDue: &PaymentDue{PastDueSince: "2026-12-04T10:05:00Z", Amount: 2784, Outstanding: "£27.84",
			Currency: "GBP", RetryAt: "2026-12-11T10:05:00Z"},
		Cancellation:  &Cancellation{Reason: "too_expensive"},
		Meters:        []Meter{{Name: "Queries", Consumed: 12840, Credited: 10000, Balance: -2840}},
		Subscriptions: []string{"Insights Usage: past due"},
		RecentOrders: []Order{
			{Date: "2026-12-04T10:05:00Z", Item: "Insights Usage", Total: "£27.84", Status: "pending", Currency: "GBP",
				Due: 2784, RetryAt: "2026-12-11T10:05:00Z"},
			{Date: "2026-11-04T10:05:00Z", Item: "Insights Usage", Total: "£10.80", Status: "paid", Currency: "GBP",
				Dispute: &Dispute{Status: "needs_response", Reason: "product_not_received", ResponseDue: "2026-12-18T23:59:59Z"}},
			{Date: "2026-10-04T10:05:00Z", Item: "Insights Usage", Total: "£10.80", Status: "paid", Currency: "GBP",
				Amount: 1080, AppliedBalance: 1080},
		},
		ActiveBenefits: []Benefit{},
		InactiveBenefits: []Benefit{{Name: "insights-sdk repository", Type: "github_repository", Status: "errored",
			Detail: "could not be granted: the GitHub invitation failed"}},
	}
}

// TestCardSaysWhatIsWrong renders the facts an agent needs beyond the
// plan: what is outstanding and when it is retried, a dispute and its
// response deadline, an order paid from balance, usage over its credits
// (written from the numbers when the answer has no usage text), the
// cancellation reason and a grant that failed.
func TestCardSaysWhatIsWrong(t *testing.T) {
	ctx := browser(t)
	srv := newPanelServer(t, newCustomers(rosaInsights()))
	if err := chromedp.Do(within(t, ctx), chromedp.Navigate(srv.URL+"/agent/")); err != nil {
		t.Fatal(err)
	}
	lookUp(t, ctx, agentToken, "rosa@example.net")
	waitFor(t, ctx, "rosa's card", is(field("name"), "Rosa Díaz"))
	for name, want := range map[string]string{
		"outstanding":      "£27.84 outstanding",
		"payment_retry_at": "Payment retry\n11 Dec 2026",
		"past_due_since":   "Past due since\n4 Dec 2026",
		"usage":            "Queries: 12,840 used of 10,000 credited (2,840 over)",
		"dispute":          "Disputed",
		"cancellation":     "Cancellation reason: too expensive",
		"grant_status":     "Failed",
	} {
		if got := eval[string](t, ctx, field(name)); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	orders := text(t, ctx, "#insights .card-orders", nil)
	for _, want := range []string{"£27.84 due", "retry 11 Dec 2026", "response due 18 Dec 2026", "paid from balance"} {
		if !strings.Contains(orders, want) {
			t.Errorf("orders %q lack %q", orders, want)
		}
	}
	if got := text(t, ctx, "#insights .card-inactive", nil); !strings.Contains(got, "GitHub invitation failed") {
		t.Errorf("inactive benefits: %q", got)
	}
}
