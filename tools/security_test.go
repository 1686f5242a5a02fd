package tools_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/tools"
)

// customerTools are the tools that act for a customer.
var customerTools = []string{
	tools.NameSubscriptionStatus, tools.NameOrderHistory, tools.NamePortalLink,
	tools.NameBenefits, tools.NameManageSubscription,
}

func TestCustomerCannotReadAnotherCustomer(t *testing.T) {
	e := newEnv(t, envOptions{})
	for _, name := range customerTools {
		t.Run(name, func(t *testing.T) {
			e.fake.ResetRequests()
			for _, other := range []string{"bob@example.com", " BOB@example.com", "erin@example.com"} {
				res := e.call(t, customer("alice@example.com"), name, map[string]any{"email": other})
				mustFail(t, res, "only see your own account")
				if got := testkit.Text(res); strings.Contains(got, "490") || strings.Contains(got, "Pro (yearly)") {
					t.Fatalf("bob's data leaked: %s", got)
				}
			}
			if n := e.fake.RequestCount(); n != 0 {
				t.Errorf("refused call still sent %d requests to Polar", n)
			}
			// The caller's own email in the arguments is fine.
			mustAnswer(t, e.call(t, customer("alice@example.com"), name, map[string]any{"email": "Alice@Example.com"}))
		})
	}
}

func TestCustomerArgumentsNeverWidenIdentity(t *testing.T) {
	e := newEnv(t, envOptions{})
	// Extra, unknown or hostile arguments change nothing about who is
	// read: they are refused before anything is asked of Polar.
	args := map[string]any{"customer_id": "c1000000-0001-4000-8000-000000000002", "role": "agent", "limit": 3}
	res := e.call(t, customer("alice@example.com"), tools.NameOrderHistory, args)
	got := mustFail(t, res, "no argument")
	if strings.Contains(got, "$490") {
		t.Fatalf("arguments widened identity: %s", got)
	}
	if n := e.fake.RequestCount(); n != 0 {
		t.Errorf("a refused call sent %d requests", n)
	}
	got = mustAnswer(t, e.call(t, customer("alice@example.com"), tools.NameOrderHistory, map[string]any{"limit": 3}), "€")
	if strings.Contains(got, "$490") {
		t.Fatalf("another customer's orders: %s", got)
	}
	for _, r := range e.fake.Requests() {
		if id := r.Query.Get("customer_id"); id != "" && id != aliceID(t, e) {
			t.Errorf("request for another customer id %s", id)
		}
	}
}

func aliceID(t *testing.T, e *env) string {
	t.Helper()
	for _, r := range e.fake.Requests() {
		if strings.HasPrefix(r.Path, "/v1/orders") {
			return r.Query.Get("customer_id")
		}
	}
	t.Fatal("no order request recorded")
	return ""
}

func TestInsightsAreForAgentsOnly(t *testing.T) {
	e := newEnv(t, envOptions{})
	for _, tl := range e.list(t, customer("alice@example.com")) {
		if tl.Name == tools.NameVisitorInsights {
			t.Fatal("customers can see get_visitor_insights")
		}
	}
	// Hidden by the tool filter, the call is refused as an unknown tool.
	if res, err := e.tryCall(t, customer("alice@example.com"), tools.NameVisitorInsights, map[string]any{"email": "bob@example.com"}); err == nil && !res.IsError {
		t.Fatalf("customer called insights: %s", testkit.Text(res))
	}
	if res, err := e.tryCall(t, nil, tools.NameVisitorInsights, map[string]any{"email": "bob@example.com"}); err == nil && !res.IsError {
		t.Fatalf("anonymous caller got insights: %s", testkit.Text(res))
	}
	if n := e.fake.RequestCount(); n != 0 {
		t.Errorf("refused insights sent %d requests", n)
	}

	found := false
	for _, tl := range e.list(t, agent()) {
		found = found || tl.Name == tools.NameVisitorInsights
	}
	if !found {
		t.Fatal("agents cannot see get_visitor_insights")
	}
	res := e.call(t, agent(), tools.NameVisitorInsights, map[string]any{"email": "alice@example.com"})
	mustAnswer(t, res, "Alice", "Pro", "€24.00 / month", "Recent orders", "Northwind CLI Pro license key")
	var out tools.InsightsOutput
	structured(t, res, &out)
	if !out.Found || len(out.RecentOrders) != 3 || len(out.ActiveBenefits) == 0 {
		t.Errorf("insights = %+v", out)
	}
	mustAnswer(t, e.call(t, agent(), tools.NameVisitorInsights, map[string]any{"email": "ghost@example.com"}), "No Polar customer has the email ghost@example.com")
	mustFail(t, e.call(t, agent(), tools.NameVisitorInsights, map[string]any{"email": "not an email"}), "not a valid email")
	mustFail(t, e.call(t, agent(), tools.NameVisitorInsights, nil), "Email is required")
}

func TestAgentUsesCustomerTools(t *testing.T) {
	e := newEnv(t, envOptions{})
	mustAnswer(t, e.call(t, agent(), tools.NameSubscriptionStatus, map[string]any{"email": "carol@example.com"}), "paused")
	mustFail(t, e.call(t, agent(), tools.NameSubscriptionStatus, nil), "Email is required")
}

func TestNoIdentityIsRefused(t *testing.T) {
	e := newEnv(t, envOptions{})
	for _, name := range customerTools {
		mustFail(t, e.call(t, nil, name, map[string]any{"email": "alice@example.com"}), "no verified customer")
	}
	if n := e.fake.RequestCount(); n != 0 {
		t.Errorf("refused calls sent %d requests", n)
	}
}

func TestNoSensitiveDataInAnswers(t *testing.T) {
	e := newEnv(t, envOptions{})
	// Values present in the fixtures that must never reach an answer:
	// billing addresses, tax ids, the Discord guild token, payment methods.
	forbidden := []string{"demo-guild-token-placeholder", "Rue de la Paix", "FR40", "pm_", "line1", "postal_code", "tax_id", "billing_address"}
	// Every demo customer, every tool: each answers (never an error) and
	// shows nothing sensitive.
	emails := []string{"alice@example.com", "bob@example.com", "carol@example.com", "team@acme.example",
		"dave@example.com", "erin@example.com", "frank.miller@example.com", "grace@example.com"}
	for _, email := range emails {
		res := e.call(t, agent(), tools.NameVisitorInsights, map[string]any{"email": email})
		if res.IsError {
			t.Errorf("insights for %s failed: %s", email, testkit.Text(res))
		}
		for _, name := range customerTools {
			res := e.call(t, customer(email), name, nil)
			if res.IsError {
				t.Errorf("%s for %s failed: %s", name, email, testkit.Text(res))
			}
			blob := testkit.Text(res) + jsonString(t, res.StructuredContent)
			for _, f := range forbidden {
				if strings.Contains(blob, f) {
					t.Errorf("%s for %s shows %q", name, email, f)
				}
			}
		}
	}
}

func TestPortalLinks(t *testing.T) {
	e := newEnv(t, envOptions{})
	res := e.call(t, customer("alice@example.com"), tools.NamePortalLink, nil)
	got := mustAnswer(t, res, "https://", "customer_session_token=", "valid until")
	var out tools.PortalOutput
	structured(t, res, &out)
	exp, err := time.Parse(time.RFC3339, out.ExpiresAt)
	if err != nil || !strings.Contains(got, out.URL) || exp.Before(time.Now()) {
		t.Errorf("portal = %+v (%v)", out, err)
	}
	res = e.call(t, customer("bob@example.com"), tools.NameManageSubscription, map[string]any{"action": "cancel"})
	mustAnswer(t, res, "cancel", "Nothing has been changed")
	for _, r := range e.fake.Requests() {
		if r.Method != "GET" && r.Path != "/v1/customer-sessions/" {
			t.Errorf("manage_subscription wrote to %s %s", r.Method, r.Path)
		}
	}
	mustFail(t, e.call(t, customer("bob@example.com"), tools.NameManageSubscription, map[string]any{"action": "delete_everything"}), "unknown action")
}

func TestMissingSessionScopeExplainsAndOtherToolsWork(t *testing.T) {
	e := newEnv(t, envOptions{scopes: scopesWithout("customer_sessions:write")})
	for _, name := range []string{tools.NamePortalLink, tools.NameManageSubscription} {
		mustFail(t, e.call(t, customer("alice@example.com"), name, nil), "customer_sessions:write", "customer_portal:write", "create a new token")
	}
	mustAnswer(t, e.call(t, customer("alice@example.com"), tools.NameSubscriptionStatus, nil), "€24.00")
}

func TestCustomersAreNotOfferedAnEmailArgument(t *testing.T) {
	e := newEnv(t, envOptions{})
	hasEmail := func(tl mcp.Tool) bool {
		var def struct {
			InputSchema struct {
				Properties map[string]any `json:"properties"`
			} `json:"inputSchema"`
		}
		if err := json.Unmarshal([]byte(jsonString(t, tl)), &def); err != nil {
			t.Fatal(err)
		}
		_, ok := def.InputSchema.Properties["email"]
		return ok
	}
	for _, tl := range e.list(t, customer("alice@example.com")) {
		if hasEmail(tl) {
			t.Errorf("%s offers customers an email argument", tl.Name)
		}
	}
	for _, tl := range e.list(t, agent()) {
		if tl.Name != tools.NameProducts && tl.Name != tools.NameFindCustomers && !hasEmail(tl) {
			t.Errorf("%s does not let agents name the customer", tl.Name)
		}
	}
}

// A visitor (a customer signed in with a caller token) is not told how the
// merchant set polar-mcp up; the operator's own stdio session and agents
// are, so that they can fix it.
func TestVisitorsAreNotToldTheMerchantsSetup(t *testing.T) {
	e := newEnv(t, envOptions{scopes: scopesWithout("customer_sessions:write")})
	visitor := &caller.Identity{Role: caller.Customer, Email: "alice@example.com", Subject: "user-1"}
	text := mustFail(t, e.call(t, visitor, tools.NamePortalLink, nil), "contact support")
	if strings.Contains(text, "scope") || strings.Contains(text, "token") {
		t.Errorf("a visitor was told the setup: %q", text)
	}
	mustFail(t, e.call(t, agent(), tools.NamePortalLink, map[string]any{"email": "alice@example.com"}), "customer_sessions:write")

	bad := newEnv(t, envOptions{token: "polar_oat_not_the_right_token"})
	text = mustFail(t, bad.call(t, visitor, tools.NameSubscriptionStatus, nil), "setup problem", "contact support")
	if strings.Contains(text, "401") || strings.Contains(text, "polar_") {
		t.Errorf("a visitor was told the token problem: %q", text)
	}
	mustFail(t, bad.call(t, customer("alice@example.com"), tools.NameSubscriptionStatus, nil), "Invalid API key")
}

// scopesWithout is every scope but drop.
func scopesWithout(drop string) []string {
	var scopes []string
	for _, s := range fakepolar.AllScopes() {
		if s != drop {
			scopes = append(scopes, s)
		}
	}
	return scopes
}
