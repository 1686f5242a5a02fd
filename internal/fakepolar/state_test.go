package fakepolar

import (
	"slices"
	"strings"
	"testing"
)

// stateSummary is the part of a customer state the tests look at.
type stateSummary struct {
	typ      string
	statuses []string
	benefits []string // benefit types, sorted
}

func summarize(r response) stateSummary {
	var s stateSummary
	s.typ, _ = r.body["type"].(string)
	for _, sub := range r.body["active_subscriptions"].([]any) {
		s.statuses = append(s.statuses, sub.(map[string]any)["status"].(string))
	}
	for _, g := range r.body["granted_benefits"].([]any) {
		s.benefits = append(s.benefits, g.(map[string]any)["benefit_type"].(string))
	}
	slices.Sort(s.benefits)
	return s
}

func TestCustomerState(t *testing.T) {
	_, hs := newTestServer(t, demoFS(t), Options{})
	for _, tc := range []struct {
		name string
		id   string
		want stateSummary
	}{
		{"alice: active, four benefits", aliceID, stateSummary{"individual", []string{"active"},
			[]string{"discord", "downloadables", "github_repository", "license_keys"}}},
		{"bob: canceling at period end is still active", bobID, stateSummary{"individual", []string{"active"},
			[]string{"discord", "downloadables", "github_repository", "license_keys"}}},
		{"carol: paused is omitted, revoked grant too", carolID, stateSummary{"individual", nil, nil}},
		// Polar's team state lists every member's grants too (no member id):
		// three seat holders' license keys; the revoked seat's key is gone.
		{"team: trialing", teamID, stateSummary{"team", []string{"trialing"},
			[]string{"discord", "feature_flag", "license_keys", "license_keys", "license_keys", "slack_shared_channel"}}},
		{"dave: past_due omitted, grants kept", daveID, stateSummary{"individual", nil, []string{"custom", "meter_credit"}}},
		{"erin: nothing", erinID, stateSummary{"individual", nil, nil}},
		{"frank: metered", frankID, stateSummary{"individual", []string{"active"}, []string{"custom", "meter_credit"}}},
		{"grace: canceled omitted, order grant kept", demoID("c1000000", 8),
			stateSummary{"individual", nil, []string{"downloadables"}}},
	} {
		r := get(t, hs, "/v1/customers/"+tc.id+"/state")
		if r.status != 200 {
			t.Fatalf("%s: %d %s", tc.name, r.status, r.raw)
		}
		got := summarize(r)
		if got.typ != tc.want.typ || !slices.Equal(got.statuses, tc.want.statuses) ||
			!slices.Equal(got.benefits, tc.want.benefits) {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
		if r.body["id"] != tc.id || r.body["active_meters"] == nil {
			t.Errorf("%s: state lacks id or active_meters: %s", tc.name, r.raw)
		}
	}
}

func TestCustomerStateShapes(t *testing.T) {
	_, hs := newTestServer(t, demoFS(t), Options{})
	r := get(t, hs, "/v1/customers/"+frankID+"/state")
	sub := r.body["active_subscriptions"].([]any)[0].(map[string]any)
	for _, key := range []string{"customer", "product", "prices", "customer_id"} {
		if _, ok := sub[key]; ok {
			t.Errorf("state subscription has %q, which CustomerStateSubscription lacks", key)
		}
	}
	meters := sub["meters"].([]any)
	if len(meters) != 1 || meters[0].(map[string]any)["consumed_units"].(float64) != 12840 {
		t.Errorf("state subscription meters: %v", meters)
	}
	if _, ok := meters[0].(map[string]any)["meter"]; ok {
		t.Error("state meter embeds the Meter object")
	}
	r = get(t, hs, "/v1/customers/"+aliceID+"/state")
	for _, g := range r.body["granted_benefits"].([]any) {
		grant := g.(map[string]any)
		if grant["benefit_type"] != "license_keys" {
			continue
		}
		props := grant["properties"].(map[string]any)
		if props["display_key"] != "PRO-****-****-7F3A" || props["key"] != nil {
			t.Errorf("alice's license key grant properties: %v", props)
		}
	}
}

// TestOtherOrganization proves the fake serves whatever fixtures it is
// given: nothing is specific to the demo organization.
func TestOtherOrganization(t *testing.T) {
	s, hs := newTestServer(t, otherFS(t), Options{})
	if s.OrganizationID() == demoOrgID {
		t.Fatal("other fixtures report the demo organization")
	}
	r := get(t, hs, "/v1/customers/?email=priya.shah@example.org")
	if len(r.ids()) != 1 {
		t.Fatalf("priya by folded email: %s", r.raw)
	}
	priya := r.ids()[0]
	if r := get(t, hs, "/v1/customers/?email=alice@example.com"); r.total() != 0 {
		t.Errorf("demo customer found in the other organization: %s", r.raw)
	}
	r = get(t, hs, "/v1/customers/?email=oliver@kestrel-client.example")
	oliver := r.ids()[0]
	r = get(t, hs, "/v1/subscriptions/?customer_id="+oliver)
	item := r.body["items"].([]any)[0].(map[string]any)
	if item["currency"] != "gbp" || item["amount"].(float64) != 1500 {
		t.Errorf("oliver's subscription: %v %v, want 1500 gbp", item["amount"], item["currency"])
	}
	if got := summarize(get(t, hs, "/v1/customers/"+priya+"/state")); got.statuses != nil || got.benefits != nil {
		t.Errorf("priya's state (canceled, revoked): %+v", got)
	}
	r = do(t, "POST", hs.URL+"/v1/customer-sessions/", DemoToken, `{"customer_id":"`+oliver+`"}`)
	if u, _ := r.body["customer_portal_url"].(string); r.status != 201 ||
		!strings.HasPrefix(u, "https://polar.sh/kestrel-analytics/portal?customer_session_token=polar_cst_") {
		t.Errorf("portal session: %d %s", r.status, r.raw)
	}
	if r := get(t, hs, "/v1/organizations/"); r.body["items"].([]any)[0].(map[string]any)["slug"] != "kestrel-analytics" {
		t.Errorf("organization: %s", r.raw)
	}
}
