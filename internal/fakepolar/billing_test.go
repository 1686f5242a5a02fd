package fakepolar

import (
	"slices"
	"strings"
	"testing"
)

// originalCustomers restricts a subscription list to the seven customers
// the filter and sorting tests were written for (alice to grace), so that
// later fixture cases do not change their expectations.
func originalCustomers() string {
	var q strings.Builder
	for _, id := range []string{aliceID, bobID, carolID, teamID, daveID, frankID, demoID("c1000000", 8)} {
		q.WriteString("&customer_id=" + id)
	}
	return q.String()
}

func TestSubscriptionFilters(t *testing.T) {
	_, hs := newTestServer(t, demoFS(t), Options{})
	sub := func(n int) string { return demoID("51000000", n) }
	// Fixture order: alice 1, bob 2, carol 3, team 4, dave 5, frank 6, grace 7.
	for query, want := range map[string][]string{
		"?customer_id=" + aliceID:                                 {sub(1)},
		"?customer_id=" + aliceID + "&customer_id=" + bobID:       {sub(1), sub(2)},
		"?customer_id=" + erinID:                                  {},
		"?status=paused":                                          {sub(3)},
		"?status=past_due&status=trialing":                        {sub(4), sub(5)},
		"?active=true":                                            {sub(4), sub(6), sub(1), sub(2)},
		"?active=false":                                           {sub(3), sub(5), sub(7)},
		"?cancel_at_period_end=true":                              {sub(2)},
		"?product_id=" + demoID("d1000000", 1):                    {sub(3), sub(1)},
		"?product_id=" + demoID("d1000000", 7):                    {sub(7)},
		"?customer_id=" + carolID + "&status=active":              {},
		"?external_customer_id=usr_1002":                          {sub(2)},
		"?organization_id=" + demoOrgID + "&customer_id=" + bobID: {sub(2)},
	} {
		if !strings.Contains(query, "customer_id=") {
			query += originalCustomers()
		}
		r := get(t, hs, "/v1/subscriptions/"+query+"&sorting=-started_at")
		if r.status != 200 {
			t.Fatalf("%s: %d %s", query, r.status, r.raw)
		}
		if got := r.ids(); !slices.Equal(got, want) && len(got)+len(want) > 0 {
			t.Errorf("%s: %v, want %v", query, got, want)
		}
	}
}

func TestSubscriptionSorting(t *testing.T) {
	_, hs := newTestServer(t, demoFS(t), Options{})
	sub := func(n int) string { return demoID("51000000", n) }
	for sorting, want := range map[string][]string{
		"":                                  {sub(4), sub(6), sub(3), sub(5), sub(1), sub(2), sub(7)}, // -started_at
		"?sorting=-started_at":              {sub(4), sub(6), sub(3), sub(5), sub(1), sub(2), sub(7)},
		"?sorting=started_at":               {sub(7), sub(2), sub(1), sub(5), sub(3), sub(6), sub(4)},
		"?sorting=status":                   {sub(1), sub(2), sub(6), sub(7), sub(5), sub(3), sub(4)},
		"?sorting=-amount&sorting=customer": {sub(2), sub(4), sub(3), sub(1), sub(5), sub(6), sub(7)},
		// ends_at: nulls last ascending, like PostgreSQL.
		"?sorting=ends_at&sorting=started_at": {sub(7), sub(2), sub(1), sub(5), sub(3), sub(6), sub(4)},
	} {
		r := get(t, hs, "/v1/subscriptions/?"+strings.TrimPrefix(sorting, "?")+originalCustomers())
		if got := r.ids(); !slices.Equal(got, want) {
			t.Errorf("%q: %v, want %v", sorting, got, want)
		}
	}
	if r := get(t, hs, "/v1/subscriptions/?sorting=price"); r.status != 422 {
		t.Errorf("unknown sort property: %d, want 422", r.status)
	}
}

func TestOrderFilters(t *testing.T) {
	_, hs := newTestServer(t, demoFS(t), Options{})
	statuses := func(r response) []string {
		var out []string
		for _, it := range r.body["items"].([]any) {
			out = append(out, it.(map[string]any)["status"].(string))
		}
		return out
	}
	r := get(t, hs, "/v1/orders/?customer_id="+aliceID)
	if got := statuses(r); !slices.Equal(got, []string{"paid", "partially_refunded", "refunded", "paid"}) {
		t.Errorf("alice's orders newest first: %v", got)
	}
	r = get(t, hs, "/v1/orders/?customer_id="+daveID+"&status=draft&status=void&status=pending")
	if got := statuses(r); !slices.Equal(got, []string{"draft", "pending", "void"}) {
		t.Errorf("dave's draft/void/pending orders: %v", got)
	}
	r = get(t, hs, "/v1/orders/?customer_id="+daveID+"&limit=100")
	reasons := map[string]bool{}
	for _, it := range r.body["items"].([]any) {
		reasons[it.(map[string]any)["billing_reason"].(string)] = true
	}
	if !reasons["subscription_meter_cycle"] {
		t.Errorf("dave has no subscription_meter_cycle order: %v", reasons)
	}
	r = get(t, hs, "/v1/orders/?customer_id="+aliceID+"&sorting=created_at&limit=1")
	if r.ids()[0] != demoID("0d000000", 1) || r.total() != 4 {
		t.Errorf("alice's oldest order: %v of %d", r.ids(), r.total())
	}
	r = get(t, hs, "/v1/orders/?subscription_id="+demoID("51000000", 1))
	if r.total() != 4 {
		t.Errorf("orders of alice's subscription: %d, want 4", r.total())
	}
	r = get(t, hs, "/v1/orders/?product_billing_type=one_time&customer_id="+demoID("c1000000", 8))
	if r.total() != 2 {
		t.Errorf("grace's one-time orders: %d, want 2", r.total())
	}
	r = get(t, hs, "/v1/orders/?customer_id="+erinID)
	if r.status != 200 || r.total() != 0 {
		t.Errorf("erin's orders: %d %s, want an empty page", r.status, r.raw)
	}
}

func TestCatalogFilters(t *testing.T) {
	_, hs := newTestServer(t, demoFS(t), Options{})
	names := func(r response) []string {
		var out []string
		for _, it := range r.body["items"].([]any) {
			out = append(out, it.(map[string]any)["name"].(string))
		}
		slices.Sort(out)
		return out
	}
	for query, want := range map[string][]string{
		"?is_archived=true":   {"Starter (legacy)"},
		"?visibility=private": {"Enterprise Onboarding"},
		"?is_recurring=false": {"Community Edition", "Enterprise Onboarding", "Supporter"},
		"?query=PRO":          {"Pro", "Pro (yearly)"},
		"?is_archived=false&visibility=public&is_recurring=true": {"API Usage", "Pro", "Pro (yearly)", "Team"},
		"?id=" + demoID("d1000000", 3):                           {"Team"},
		"?benefit_id=" + demoID("be000000", 8):                   {"Enterprise Onboarding", "Team"},
	} {
		r := get(t, hs, "/v1/products/"+query)
		if got := names(r); !slices.Equal(got, want) {
			t.Errorf("products%s: %v, want %v", query, got, want)
		}
	}
	r := get(t, hs, "/v1/benefits/?limit=100")
	types := map[string]bool{}
	for _, it := range r.body["items"].([]any) {
		types[it.(map[string]any)["type"].(string)] = true
	}
	if len(types) != 8 {
		t.Errorf("benefit types %v, want all 8", types)
	}
	r = get(t, hs, "/v1/benefits/?type=license_keys&type=discord")
	if r.total() != 2 {
		t.Errorf("license_keys+discord benefits: %d, want 2", r.total())
	}
	r = get(t, hs, "/v1/benefits/?id="+demoID("be000000", 5))
	if !slices.Equal(r.ids(), []string{demoID("be000000", 5)}) {
		t.Errorf("benefit by id: %v", r.ids())
	}
}

func TestOrganizations(t *testing.T) {
	_, hs := newTestServer(t, demoFS(t), Options{})
	if r := get(t, hs, "/v1/organizations/"); !slices.Equal(r.ids(), []string{demoOrgID}) {
		t.Errorf("organizations: %v, want the token's organization only", r.ids())
	}
	if r := get(t, hs, "/v1/organizations/?slug=northwind-cloud"); r.total() != 1 {
		t.Errorf("by slug: %d", r.total())
	}
	if r := get(t, hs, "/v1/organizations/"+demoOrgID); r.body["name"] != "Northwind Cloud" {
		t.Errorf("get organization: %s", r.raw)
	}
	if r := get(t, hs, "/v1/organizations/"+unknownUUID); r.status != 404 {
		t.Errorf("other organization: %d, want 404", r.status)
	}
}
