package fakepolar

import (
	"fmt"
	"slices"
	"testing"
)

// demoID returns the n-th demo fixture id of a kind (see the README).
func demoID(prefix string, n int) string {
	return fmt.Sprintf("%s-0001-4000-8%03x-%012d", prefix, n, n)
}

func TestCustomerEmailLookupIsExactAndCaseInsensitive(t *testing.T) {
	_, hs := newTestServer(t, demoFS(t), Options{})
	for _, tc := range []struct {
		email string
		want  []string
	}{
		{"alice@example.com", []string{aliceID}},
		{"ALICE@Example.COM", []string{aliceID}},
		{"frank.miller@example.com", []string{frankID}}, // stored as Frank.Miller@Example.com
		{"Frank.Miller@Example.com", []string{frankID}},
		{"alice@example", nil},    // exact, not a prefix
		{"lice@example.com", nil}, // nor a suffix
		{"nobody@example.com", nil},
	} {
		r := get(t, hs, "/v1/customers/?email="+tc.email)
		if r.status != 200 || !slices.Equal(r.ids(), tc.want) || r.total() != len(tc.want) {
			t.Errorf("email=%s: status %d ids %v total %d, want %v", tc.email, r.status, r.ids(), r.total(), tc.want)
		}
	}
}

func TestCustomerFilters(t *testing.T) {
	_, hs := newTestServer(t, demoFS(t), Options{})
	for query, want := range map[string][]string{
		"?query=ACME":                          {teamID},
		"?query=usr_1005":                      {daveID}, // external id
		"?query=miller":                        {frankID},
		"?organization_id=" + demoOrgID:        nil, // all, checked by count below
		"?organization_id=" + unknownUUID:      {},
		"?email=erin@example.com&active=true":  {},
		"?email=erin@example.com&active=false": {erinID},
		"?email=dave@example.com&active=true":  {daveID}, // past_due counts as active
	} {
		r := get(t, hs, "/v1/customers/"+query)
		if r.status != 200 {
			t.Fatalf("%s: status %d: %s", query, r.status, r.raw)
		}
		if want == nil {
			if r.total() != demoCustomers {
				t.Errorf("%s: total %d, want all %d customers", query, r.total(), demoCustomers)
			}
			continue
		}
		if got := r.ids(); !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("%s: ids %v, want %v", query, got, want)
		}
	}
}

func TestPagination(t *testing.T) {
	_, hs := newTestServer(t, demoFS(t), Options{})
	all := get(t, hs, "/v1/customers/?limit=100&sorting=email")
	if all.total() != demoCustomers || len(all.ids()) != demoCustomers {
		t.Fatalf("all customers: total %d, %d items", all.total(), len(all.ids()))
	}
	const limit = 3
	pages := (demoCustomers + limit - 1) / limit
	var paged []string
	for page := 1; page <= pages; page++ {
		r := get(t, hs, fmt.Sprintf("/v1/customers/?limit=%d&page=%d&sorting=email", limit, page))
		p := r.body["pagination"].(map[string]any)
		if p["total_count"].(float64) != demoCustomers || p["max_page"].(float64) != float64(pages) {
			t.Errorf("page %d: pagination %v, want total_count %d, max_page %d", page, p, demoCustomers, pages)
		}
		if n := len(r.ids()); n != limit && page < pages {
			t.Errorf("page %d: %d items, want %d", page, n, limit)
		}
		paged = append(paged, r.ids()...)
	}
	if !slices.Equal(paged, all.ids()) {
		t.Errorf("pages 1-%d = %v, want %v", pages, paged, all.ids())
	}
	if r := get(t, hs, fmt.Sprintf("/v1/customers/?limit=%d&page=%d", limit, pages+1)); len(r.ids()) != 0 || r.total() != demoCustomers {
		t.Errorf("page past the end: %d items, total %d; want none and %d", len(r.ids()), r.total(), demoCustomers)
	}
	if r := get(t, hs, "/v1/customers/"); len(r.ids()) != 10 {
		t.Errorf("default page: %d items, want 10 (the default limit)", len(r.ids()))
	}
	if r := get(t, hs, "/v1/orders/"); len(r.ids()) != 10 || r.total() != demoOrders {
		t.Errorf("default orders page: %d items of %d, want 10 of %d", len(r.ids()), r.total(), demoOrders)
	}
	if r := get(t, hs, "/v1/customers/?email=nobody@example.com"); r.body["pagination"].(map[string]any)["max_page"].(float64) != 0 {
		t.Errorf("empty result: pagination %v, want max_page 0", r.body["pagination"])
	}
}

func TestPaginationErrors(t *testing.T) {
	_, hs := newTestServer(t, demoFS(t), Options{})
	for query, wantType := range map[string]string{
		"?limit=101": "less_than_equal",
		"?limit=0":   "greater_than",
		"?limit=-5":  "greater_than",
		"?page=0":    "greater_than",
		"?page=two":  "int_parsing",
	} {
		r := get(t, hs, "/v1/subscriptions/"+query)
		if r.status != 422 {
			t.Errorf("%s: status %d, want 422", query, r.status)
			continue
		}
		d := r.body["detail"].([]any)[0].(map[string]any)
		if d["type"] != wantType || d["loc"].([]any)[0] != "query" {
			t.Errorf("%s: detail %v, want type %s at a query loc", query, d, wantType)
		}
	}
	if r := get(t, hs, "/v1/subscriptions/?limit=100"); r.status != 200 {
		t.Errorf("limit=100: status %d, want 200", r.status)
	}
}

func TestMalformedUUIDs(t *testing.T) {
	_, hs := newTestServer(t, demoFS(t), Options{})
	for path, loc := range map[string][]any{
		"/v1/subscriptions/?customer_id=abc":                {"query", "customer_id"},
		"/v1/orders/?subscription_id=" + aliceID + "x":      {"query", "subscription_id"},
		"/v1/customers/not-a-uuid":                          {"path", "id"},
		"/v1/customers/not-a-uuid/state":                    {"path", "id"},
		"/v1/products/?id=d1000000-0001-4000-8001-00000000": {"query", "id"},
	} {
		r := get(t, hs, path)
		if r.status != 422 {
			t.Errorf("%s: status %d, want 422", path, r.status)
			continue
		}
		d := r.body["detail"].([]any)[0].(map[string]any)
		if fmt.Sprint(d["loc"]) != fmt.Sprint(loc) || d["type"] != "uuid_parsing" {
			t.Errorf("%s: detail %v, want uuid_parsing at %v", path, d, loc)
		}
	}
	// Polar accepts only version-4 UUIDs.
	r := get(t, hs, "/v1/customers/00000000-0000-0000-0000-000000000000")
	if r.status != 422 || r.body["detail"].([]any)[0].(map[string]any)["type"] != "uuid_version" {
		t.Errorf("nil UUID: status %d %s, want 422 uuid_version", r.status, r.raw)
	}
	// A well-formed UUID nobody has is a 404, upper case is fine.
	if r := get(t, hs, "/v1/customers/"+unknownUUID); r.status != 404 || r.body["error"] != "ResourceNotFound" {
		t.Errorf("unknown customer: %d %s, want 404 ResourceNotFound", r.status, r.raw)
	}
	if r := get(t, hs, "/v1/customers/C1000000-0001-4000-8001-000000000001"); r.status != 200 || r.body["id"] != aliceID {
		t.Errorf("upper-case id: %d %s, want alice", r.status, r.raw)
	}
}

func TestUnknownRoute(t *testing.T) {
	_, hs := newTestServer(t, demoFS(t), Options{})
	for _, path := range []string{"/v1/nope/", "/v1/customers", "/v2/customers/", "/"} {
		r := do(t, "GET", hs.URL+path, "", "")
		if r.status != 404 || r.body["detail"] != "Not Found" {
			t.Errorf("GET %s: %d %s, want 404 {\"detail\":\"Not Found\"}", path, r.status, r.raw)
		}
	}
	if r := do(t, "DELETE", hs.URL+"/v1/customers/", DemoToken, ""); r.status != 405 {
		t.Errorf("DELETE /v1/customers/: %d, want 405", r.status)
	}
}
