package fakepolar

import (
	"slices"
	"testing"
	"time"
)

// TestAddCustomersGrowsTheOrganization: a large organization for the
// benchmarks is generated alike every time, every customer is found by
// email with its active subscription, and every response (each page of
// the customers and subscriptions lists included) still matches Polar's
// OpenAPI document.
func TestAddCustomersGrowsTheOrganization(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	grow := func() (*Server, []string, []string) {
		s, hs := newTestServer(t, demoFS(t), Options{Now: func() time.Time { return now }})
		emails, err := s.AddCustomers("bench.example", 250)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, e := range []string{emails[0], emails[124], emails[249]} {
			r := get(t, hs, "/v1/customers/?email="+e)
			if got := r.ids(); len(got) != 1 {
				t.Fatalf("email=%s finds %v, want one customer", e, got)
			}
			ids = append(ids, r.ids()[0])
			state := get(t, hs, "/v1/customers/"+r.ids()[0]+"/state")
			if subs, _ := state.body["active_subscriptions"].([]any); len(subs) != 1 {
				t.Errorf("%s's state has %d active subscriptions, want 1: %s", e, len(subs), state.raw)
			}
		}
		checkContract(t, s, hs, append(fixtureIDs(t, demoFS(t), "customers.json"), ids...))
		c := loadContract(t)
		for _, path := range []string{"/v1/customers/", "/v1/subscriptions/"} {
			for _, page := range []string{"1", "2", "3"} {
				raw := get(t, hs, path+"?limit=100&page="+page).raw
				if schema, ok := c.response(t, path, "GET", 200); ok {
					c.validate(t, schema, "grown: GET "+path+" page "+page, raw)
				}
			}
		}
		return s, emails, ids
	}
	_, emails, ids := grow()
	_, emails2, ids2 := grow()
	if len(emails) != 250 || emails[0] != "customer-1@bench.example" || !slices.Equal(emails, emails2) || !slices.Equal(ids, ids2) {
		t.Errorf("two growths differ or are misnamed: %v… vs %v…, ids %v vs %v", emails[:2], emails2[:2], ids, ids2)
	}
	s, _ := newTestServer(t, demoFS(t), Options{})
	if _, err := s.AddCustomers("bench.example", 1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddCustomers("bench.example", 1); err == nil {
		t.Error("growing twice with the same domain reused an email")
	}
}
