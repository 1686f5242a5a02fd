package fakepolar

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"net/url"
	"testing"
)

// externalCalls lists the external-id endpoints and filters, and the
// benefit grants list, for a fixture set's customers and external ids.
func externalCalls(orgID string, customers, externals []string) []call {
	get := func(template, path string, status int) call {
		return call{http.MethodGet, template, path, "", status}
	}
	const ext, extState, grants = "/v1/customers/external/{external_id}", "/v1/customers/external/{external_id}/state",
		"/v1/benefit-grants/"
	calls := []call{
		get(ext, "/v1/customers/external/no-such-user", 404),
		get(extState, "/v1/customers/external/no-such-user/state", 404),
		get(grants, grants, 200),
		get(grants, grants+"?is_granted=true&sorting=-granted_at", 200),
		get(grants, grants+"?is_granted=false&sorting=revoked_at", 200),
		get(grants, grants+"?organization_id="+orgID+"&limit=100", 200),
		get(grants, grants+"?customer_id="+customers[0]+"&customer_id="+customers[1], 200),
		get(grants, grants+"?external_customer_id=no-such-user", 200),
		get(grants, grants+"?customer_id=not-a-uuid", 422),
		get(grants, grants+"?is_granted=maybe", 422),
		get(grants, grants+"?sorting=benefit", 422),
		get(grants, grants+"?limit=101", 422),
		get("/v1/subscriptions/", "/v1/subscriptions/?external_customer_id=no-such-user", 200),
		get("/v1/orders/", "/v1/orders/?external_customer_id=no-such-user", 200),
	}
	for _, e := range externals {
		q := url.QueryEscape(e)
		calls = append(calls,
			get(ext, "/v1/customers/external/"+url.PathEscape(e), 200),
			get(extState, "/v1/customers/external/"+url.PathEscape(e)+"/state", 200),
			get("/v1/subscriptions/", "/v1/subscriptions/?external_customer_id="+q, 200),
			get("/v1/orders/", "/v1/orders/?limit=100&external_customer_id="+q, 200),
			get(grants, grants+"?limit=100&external_customer_id="+q, 200),
		)
	}
	return calls
}

// fixtureExternalIDs returns the non-null external ids of a fixture set's
// customers.
func fixtureExternalIDs(t *testing.T, fsys fs.FS) []string {
	t.Helper()
	raw, err := fs.ReadFile(fsys, "customers.json")
	if err != nil {
		t.Fatal(err)
	}
	var items []struct {
		ExternalID *string `json:"external_id"`
	}
	if err := json.Unmarshal(raw, &items); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range items {
		if it.ExternalID != nil {
			out = append(out, *it.ExternalID)
		}
	}
	return out
}

// TestFixturesHaveExternalIDs: both organizations have customers with and
// without an external id, and each embedded customer copy carries the
// same external_id (indeed the same fields) as the customer.
func TestFixturesHaveExternalIDs(t *testing.T) {
	for name, fsys := range map[string]fs.FS{"demo": demoFS(t), "other": otherFS(t)} {
		ids, exts := fixtureIDs(t, fsys, "customers.json"), fixtureExternalIDs(t, fsys)
		if len(exts) < 2 || len(exts) == len(ids) {
			t.Errorf("%s: %d of %d customers have an external id, want several but not all", name, len(exts), len(ids))
		}
		s, err := New(fsys, Options{})
		if err != nil {
			t.Fatal(err)
		}
		assertEmbeddedCustomersCurrent(t, name, s)
	}
}

// assertEmbeddedCustomersCurrent fails when an embedded customer of a
// subscription, order or grant differs from the customer it copies.
func assertEmbeddedCustomersCurrent(t *testing.T, name string, s *Server) {
	t.Helper()
	s.state.RLock()
	defer s.state.RUnlock()
	for kind, objs := range map[string][]object{
		"subscription": s.data.subscriptions, "order": s.data.orders, "grant": s.data.grants,
	} {
		for _, o := range objs {
			c := s.data.customer(str(o, "customer_id"))
			want, _ := json.Marshal(c)
			got, _ := json.Marshal(o["customer"])
			if c == nil || string(got) != string(want) {
				t.Errorf("%s: %s %s embeds customer %s, want %s", name, kind, str(o, "id"), got, want)
			}
		}
	}
}

func TestExternalCustomerLookups(t *testing.T) {
	_, hs := newTestServer(t, demoFS(t), Options{})
	if r := get(t, hs, "/v1/customers/external/usr_1005"); r.status != 200 || r.body["id"] != daveID {
		t.Errorf("external usr_1005: %d %s, want dave", r.status, r.raw)
	}
	// Exact, case-sensitive match.
	for _, ext := range []string{"USR_1005", "usr_100", "usr_1005x"} {
		r := get(t, hs, "/v1/customers/external/"+ext)
		if r.status != 404 || r.body["error"] != "ResourceNotFound" {
			t.Errorf("external %s: %d %s, want 404 ResourceNotFound", ext, r.status, r.raw)
		}
	}
	r := get(t, hs, "/v1/customers/external/usr_1001/state")
	if r.status != 200 || r.body["id"] != aliceID || len(r.body["active_subscriptions"].([]any)) != 1 {
		t.Errorf("external usr_1001 state: %d %s", r.status, r.raw)
	}
	if r := get(t, hs, "/v1/orders/?limit=100&external_customer_id=usr_1001"); r.total() != 4 {
		t.Errorf("orders of usr_1001: %d, want alice's 4", r.total())
	}
	r = get(t, hs, "/v1/benefit-grants/?external_customer_id=usr_1001&external_customer_id=usr_1003&limit=100")
	for _, g := range r.body["items"].([]any) {
		if c := g.(map[string]any)["customer_id"]; c != aliceID && c != carolID {
			t.Errorf("grants of usr_1001/usr_1003 include customer %v", c)
		}
	}
	all := get(t, hs, "/v1/benefit-grants/?limit=100")
	granted := get(t, hs, "/v1/benefit-grants/?limit=100&is_granted=true")
	revoked := get(t, hs, "/v1/benefit-grants/?limit=100&is_granted=false")
	if r.total() == 0 || revoked.total() == 0 || granted.total()+revoked.total() != all.total() {
		t.Errorf("grants: %d for two customers, %d granted + %d revoked of %d", r.total(), granted.total(),
			revoked.total(), all.total())
	}
	for _, g := range revoked.body["items"].([]any) {
		if g.(map[string]any)["is_revoked"] != true {
			t.Errorf("is_granted=false listed grant %v, which is not revoked", g.(map[string]any)["id"])
		}
	}
}
