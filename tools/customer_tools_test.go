package tools_test

import (
	"strings"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/tools"
)

func TestSubscriptionStatusFixtureCases(t *testing.T) {
	e := newEnv(t, envOptions{})
	cases := []struct {
		email  string
		status string
		wants  []string
		check  func(t *testing.T, v tools.SubscriptionView)
	}{
		{"alice@example.com", "active", []string{"Pro", "€24.00 / month", "next billing 14 Dec 2026"}, func(t *testing.T, v tools.SubscriptionView) {
			if v.Currency != "EUR" || v.Amount != 2400 || v.Interval != "month" || v.NextBilling == nil || v.NextBilling.Format(time.RFC3339) != "2026-12-14T09:00:00Z" {
				t.Errorf("alice view = %+v", v)
			}
		}},
		{"bob@example.com", "active", []string{"$490.00 / year", "set to cancel", "3 Dec 2026"}, func(t *testing.T, v tools.SubscriptionView) {
			if !v.Canceling || v.CancelsAt == nil || v.CancelsAt.Format("2006-01-02") != "2026-12-03" || v.NextBilling != nil {
				t.Errorf("scheduled cancellation view = %+v", v)
			}
		}},
		{"carol@example.com", "paused", []string{"paused", "resumes 10 Jan 2027"}, func(t *testing.T, v tools.SubscriptionView) {
			if v.PausedAt == nil || v.ResumesAt == nil || v.ResumesAt.Format("2006-01-02") != "2027-01-10" {
				t.Errorf("paused view = %+v", v)
			}
		}},
		{"team@acme.example", "trialing", []string{"Team", "trialing", tensedAs("trial ends", "trial ended", "2 Dec 2026"), "12 seats"}, func(t *testing.T, v tools.SubscriptionView) {
			if v.TrialEnds == nil || v.TrialEnds.Format("2006-01-02") != "2026-12-02" || v.Seats != 12 {
				t.Errorf("trial view = %+v", v)
			}
		}},
		{"dave@example.com", "past_due", []string{"past due", "payment method"}, nil},
		{"frank.miller@example.com", "active", []string{"API Usage"}, nil},
		{"grace@example.com", "canceled", []string{"Starter", "ended"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.email, func(t *testing.T) {
			res := e.call(t, customer(tc.email), tools.NameSubscriptionStatus, nil)
			got := mustAnswer(t, res, tc.wants...)
			if strings.Contains(strings.ToLower(got), "no subscription") {
				t.Errorf("customer with a %s plan told they have none: %s", tc.status, got)
			}
			var out tools.SubscriptionStatusOutput
			structured(t, res, &out)
			if !out.Found || len(out.Subscriptions) == 0 {
				t.Fatalf("structured = %+v", out)
			}
			if out.Subscriptions[0].Status != tc.status {
				t.Errorf("status = %q, want %q", out.Subscriptions[0].Status, tc.status)
			}
			if tc.check != nil {
				tc.check(t, out.Subscriptions[0])
			}
		})
	}
}

func TestCustomerWithNothingAndUnknownEmail(t *testing.T) {
	e := newEnv(t, envOptions{})
	for _, name := range []string{tools.NameSubscriptionStatus, tools.NameOrderHistory, tools.NameBenefits} {
		res := e.call(t, customer("erin@example.com"), name, nil)
		got := mustAnswer(t, res, "erin@example.com")
		if strings.Contains(got, "No subscription was found") {
			t.Errorf("%s: an existing customer was reported unknown: %s", name, got)
		}
		res = e.call(t, customer("nobody@example.com"), name, nil)
		mustAnswer(t, res, "No subscription was found for nobody@example.com")
	}
}

func TestEmailLookupTrimsAndFoldsCase(t *testing.T) {
	e := newEnv(t, envOptions{})
	res := e.call(t, customer("  FRANK.Miller@example.COM "), tools.NameSubscriptionStatus, nil)
	mustAnswer(t, res, "API Usage")
}

func TestOrderHistory(t *testing.T) {
	e := newEnv(t, envOptions{})
	var out tools.OrderHistoryOutput
	res := e.call(t, customer("dave@example.com"), tools.NameOrderHistory, nil)
	mustAnswer(t, res, "usage charges", "draft", "void")
	structured(t, res, &out)
	if len(out.Orders) != 5 {
		t.Fatalf("default order count = %d, want 5", len(out.Orders))
	}
	reasons, statuses := map[string]bool{}, map[string]bool{}
	for _, o := range out.Orders {
		reasons[o.BillingReason], statuses[o.Status] = true, true
	}
	if !reasons["subscription_meter_cycle"] || !statuses["draft"] || !statuses["void"] || !statuses["pending"] {
		t.Errorf("drift cases missing: reasons %v statuses %v", reasons, statuses)
	}
	for i := 1; i < len(out.Orders); i++ {
		if out.Orders[i].Date.IsZero() || out.Orders[i].Total == "" {
			t.Errorf("order %d incomplete: %+v", i, out.Orders[i])
		}
	}

	res = e.call(t, customer("alice@example.com"), tools.NameOrderHistory, map[string]any{"limit": 2})
	structured(t, res, &out)
	if len(out.Orders) != 2 {
		t.Errorf("limit 2 gave %d orders", len(out.Orders))
	}
	res = e.call(t, customer("alice@example.com"), tools.NameOrderHistory, nil)
	mustAnswer(t, res, "€28.80", "refunded", "partially refunded")

	// Bounds are enforced, not just declared; nothing is asked of Polar.
	e.fake.ResetRequests()
	for _, limit := range []any{500, 0, -3, 2.5, "ten"} {
		res = e.call(t, customer("alice@example.com"), tools.NameOrderHistory, map[string]any{"limit": limit})
		got := mustFail(t, res, "limit must be a whole number")
		if strings.Contains(got, "Go") || strings.Contains(got, "unmarshal") || strings.Contains(got, "struct") {
			t.Errorf("limit %v: Go internals in the answer: %s", limit, got)
		}
	}
	if n := len(e.fake.Requests()); n != 0 {
		t.Errorf("out-of-range limits made %d requests to Polar", n)
	}
}

func TestBenefitsMaskedAndNamed(t *testing.T) {
	e := newEnv(t, envOptions{})
	res := e.call(t, customer("alice@example.com"), tools.NameBenefits, nil)
	got := mustAnswer(t, res, "PRO-****-****-7F3A", "Northwind CLI Pro license key", "northwind-cloud/pro-templates")
	var out tools.BenefitsOutput
	structured(t, res, &out)
	if len(out.Benefits) != 4 {
		t.Errorf("alice has %d benefits, want 4: %s", len(out.Benefits), got)
	}

	res = e.call(t, customer("team@acme.example"), tools.NameBenefits, nil)
	structured(t, res, &out)
	types := map[string]bool{}
	for _, b := range out.Benefits {
		types[b.Type] = true
		if b.Name == "" || b.Detail == "" {
			t.Errorf("benefit without name or detail: %+v", b)
		}
	}
	if !types["feature_flag"] || !types["slack_shared_channel"] {
		t.Errorf("team benefits = %v, want feature_flag and slack_shared_channel", types)
	}

	res = e.call(t, customer("frank.miller@example.com"), tools.NameBenefits, nil)
	structured(t, res, &out)
	types = map[string]bool{}
	for _, b := range out.Benefits {
		types[b.Type] = true
	}
	if !types["meter_credit"] || !types["custom"] {
		t.Errorf("frank benefits = %v, want meter_credit and custom", types)
	}
}

func TestProducts(t *testing.T) {
	e := newEnv(t, envOptions{})
	res := e.call(t, nil, tools.NameProducts, nil) // needs no identity
	got := mustAnswer(t, res, "€24.00 / month", "$490.00 / year", "Free", "Pay what you want, minimum $5.00, suggested $15.00",
		"$12.00 per seat / month (1–9 seats)", "per unit of")
	for _, hidden := range []string{"Starter", "Enterprise Onboarding"} {
		if strings.Contains(got, hidden) {
			t.Errorf("archived or private product %q listed:\n%s", hidden, got)
		}
	}
	var out tools.ProductsOutput
	structured(t, res, &out)
	kinds := map[string]bool{}
	for _, p := range out.Products {
		for _, pr := range p.Prices {
			kinds[pr.Kind] = true
		}
	}
	for _, k := range []string{"fixed", "custom", "free", "seat_based", "metered"} {
		if !kinds[k] {
			t.Errorf("no %s price in %v", k, kinds)
		}
	}
}

func TestOtherOrganization(t *testing.T) {
	e := newEnv(t, envOptions{fixtures: testkit.OtherFS()})
	mustAnswer(t, e.call(t, customer("oliver@kestrel-client.example"), tools.NameSubscriptionStatus, nil), "£15.00 / month")
	mustAnswer(t, e.call(t, customer("alice@example.com"), tools.NameSubscriptionStatus, nil), "No subscription was found")
}

// Arguments a tool's schema does not list are refused in plain words,
// never silently dropped (the schemas say additionalProperties: false).
func TestUnknownArgumentsAreRefused(t *testing.T) {
	e := newEnv(t, envOptions{})
	res := e.call(t, agent(), tools.NameOrderHistory, map[string]any{"email": "alice@example.com", "limt": 2})
	text := mustFail(t, res, `no argument "limt"`)
	if strings.Contains(text, "json:") {
		t.Errorf("Go internals in %q", text)
	}
	mustFail(t, e.call(t, customer("alice@example.com"), tools.NameSubscriptionStatus, map[string]any{"external_customer_id": "usr_1002"}), "no argument")
	mustAnswer(t, e.call(t, customer("alice@example.com"), tools.NameSubscriptionStatus, map[string]any{}), "€24.00")
}
