package fakepolar

import (
	"errors"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// checkContract runs every contract call against a running (possibly
// mutated) demo fake and validates each response against the OpenAPI
// document, plus every object of the customers, subscriptions, orders
// and benefit grants lists.
func checkContract(t *testing.T, s *Server, hs *httptest.Server, customers []string) {
	t.Helper()
	c := loadContract(t)
	fsys := demoFS(t)
	calls := contractCalls(s.OrganizationID(), customers, fixtureIDs(t, fsys, "products.json"),
		fixtureIDs(t, fsys, "benefits.json"), fixtureIDs(t, fsys, "subscriptions.json"))
	calls = append(calls, externalCalls(s.OrganizationID(), customers, fixtureExternalIDs(t, fsys))...)
	for _, path := range []string{"/v1/customers/", "/v1/subscriptions/", "/v1/orders/", "/v1/benefit-grants/"} {
		calls = append(calls, call{"GET", path, path + "?limit=100", "", 200})
	}
	for _, cl := range calls {
		r := do(t, cl.method, hs.URL+cl.path, DemoToken, cl.body)
		if r.status != cl.status {
			t.Errorf("%s %s: status %d, want %d: %s", cl.method, cl.path, r.status, cl.status, r.raw)
			continue
		}
		if schema, ok := c.response(t, cl.template, cl.method, r.status); ok {
			c.validate(t, schema, "mutated: "+cl.method+" "+cl.path, r.raw)
		}
	}
	assertEmbeddedCustomersCurrent(t, "mutated", s)
}

func TestEmailMovesToANewCustomer(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	s, hs := newTestServer(t, demoFS(t), Options{Now: func() time.Time { return now }})
	if _, err := s.UpdateCustomer(aliceID, map[string]any{"email": "alice.martin@example.org", "name": "Alice M."}); err != nil {
		t.Fatal(err)
	}
	added, err := s.AddCustomer(map[string]any{"email": "alice@example.com", "external_id": "usr_2001", "name": "Alice Two"})
	if err != nil {
		t.Fatal(err)
	}
	newID, _ := added["id"].(string)
	if r := get(t, hs, "/v1/customers/?email=ALICE@example.com"); !slices.Equal(r.ids(), []string{newID}) {
		t.Errorf("email=alice@example.com after the move: %v, want the new customer %s", r.ids(), newID)
	}
	if r := get(t, hs, "/v1/customers/?email=alice.martin@example.org"); !slices.Equal(r.ids(), []string{aliceID}) {
		t.Errorf("alice's new email finds %v, want alice", r.ids())
	}
	if r := get(t, hs, "/v1/customers/external/usr_2001"); r.body["id"] != newID {
		t.Errorf("external usr_2001: %s", r.raw)
	}
	r := get(t, hs, "/v1/subscriptions/?customer_id="+aliceID)
	embedded := r.body["items"].([]any)[0].(map[string]any)["customer"].(map[string]any)
	if embedded["email"] != "alice.martin@example.org" || embedded["name"] != "Alice M." ||
		embedded["modified_at"] != "2026-11-25T10:00:00Z" || embedded["external_id"] != "usr_1001" {
		t.Errorf("alice's subscription embeds %v, want her current record", embedded)
	}
	if r := get(t, hs, "/v1/customers/"+newID+"/state"); r.status != 200 || len(r.body["active_subscriptions"].([]any)) != 0 {
		t.Errorf("the new customer's state: %d %s", r.status, r.raw)
	}
	checkContract(t, s, hs, append(fixtureIDs(t, demoFS(t), "customers.json"), newID))
}

func TestMutationsRefuseInvalidData(t *testing.T) {
	s, hs := newTestServer(t, demoFS(t), Options{})
	before := get(t, hs, "/v1/customers/?limit=100").raw
	for _, tc := range []struct {
		name string
		fn   func() (map[string]any, error)
		want error
	}{
		{"unknown customer", func() (map[string]any, error) { return s.UpdateCustomer(unknownUUID, map[string]any{"name": "x"}) }, ErrNotFound},
		{"taken email, other case", func() (map[string]any, error) {
			return s.UpdateCustomer(aliceID, map[string]any{"email": "BOB@example.com"})
		}, ErrInvalid},
		{"empty email", func() (map[string]any, error) { return s.UpdateCustomer(aliceID, map[string]any{"email": ""}) }, ErrInvalid},
		{"external id is set once", func() (map[string]any, error) {
			return s.UpdateCustomer(aliceID, map[string]any{"external_id": "usr_9"})
		}, ErrInvalid},
		{"taken external id", func() (map[string]any, error) {
			return s.UpdateCustomer(erinID, map[string]any{"external_id": "usr_1001"})
		}, ErrInvalid},
		{"read-only field", func() (map[string]any, error) { return s.UpdateCustomer(aliceID, map[string]any{"id": unknownUUID}) }, ErrInvalid},
		{"nested metadata", func() (map[string]any, error) {
			return s.UpdateCustomer(aliceID, map[string]any{"metadata": map[string]any{"a": []int{1}}})
		}, ErrInvalid},
		{"add without email", func() (map[string]any, error) { return s.AddCustomer(map[string]any{"name": "x"}) }, ErrInvalid},
		{"add with a taken email", func() (map[string]any, error) {
			return s.AddCustomer(map[string]any{"email": "erin@example.com"})
		}, ErrInvalid},
		{"unknown status", func() (map[string]any, error) {
			return s.UpdateSubscription(demoID("51000000", 1), map[string]any{"status": "expired"})
		}, ErrInvalid},
		{"negative amount", func() (map[string]any, error) {
			return s.UpdateSubscription(demoID("51000000", 1), map[string]any{"amount": -1})
		}, ErrInvalid},
		{"unknown product", func() (map[string]any, error) {
			return s.UpdateSubscription(demoID("51000000", 1), map[string]any{"product_id": unknownUUID})
		}, ErrInvalid},
		{"subscription to a one-time product", func() (map[string]any, error) {
			return s.AddSubscription(map[string]any{"customer_id": erinID, "product_id": oneTimeProduct(t, hs)})
		}, ErrInvalid},
		{"unknown order", func() (map[string]any, error) { return s.UpdateOrder(unknownUUID, map[string]any{"paid": true}) }, ErrNotFound},
		{"order status", func() (map[string]any, error) {
			return s.UpdateOrder(demoID("0d000000", 1), map[string]any{"status": "settled"})
		}, ErrInvalid},
		{"grant flag type", func() (map[string]any, error) {
			return s.UpdateBenefitGrant(demoID("b6000000", 1), map[string]any{"is_revoked": "yes"})
		}, ErrInvalid},
	} {
		if _, err := tc.fn(); !errors.Is(err, tc.want) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.want)
		}
	}
	if after := get(t, hs, "/v1/customers/?limit=100").raw; string(after) != string(before) {
		t.Error("a refused mutation changed the customers")
	}
}

// oneTimeProduct returns the id of a demo product that is not recurring.
func oneTimeProduct(t *testing.T, hs *httptest.Server) string {
	t.Helper()
	return get(t, hs, "/v1/products/?is_recurring=false").ids()[0]
}

func TestSubscriptionChangesShowInListsAndState(t *testing.T) {
	s, hs := newTestServer(t, demoFS(t), Options{})
	subID := demoID("51000000", 1) // alice, Pro monthly, active
	yearly := get(t, hs, "/v1/products/?query=yearly").ids()[0]
	if _, err := s.UpdateSubscription(subID, map[string]any{"status": "canceled", "ended_at": "2026-11-25T10:00:00Z",
		"customer_cancellation_reason": "too_expensive", "product_id": yearly, "amount": 49000}); err != nil {
		t.Fatal(err)
	}
	if r := get(t, hs, "/v1/subscriptions/?status=canceled&customer_id="+aliceID); !slices.Equal(r.ids(), []string{subID}) {
		t.Errorf("canceled subscriptions of alice: %v", r.ids())
	}
	if r := get(t, hs, "/v1/customers/"+aliceID+"/state"); len(r.body["active_subscriptions"].([]any)) != 0 {
		t.Errorf("alice's state still lists a subscription: %s", r.raw)
	}
	r := get(t, hs, "/v1/subscriptions/?customer_id="+aliceID)
	product := r.body["items"].([]any)[0].(map[string]any)["product"].(map[string]any)
	if product["id"] != yearly {
		t.Errorf("the subscription embeds product %v, want %s", product["id"], yearly)
	}
	orders := get(t, hs, "/v1/orders/?subscription_id="+subID)
	for _, o := range orders.body["items"].([]any) {
		if st := o.(map[string]any)["subscription"].(map[string]any)["status"]; st != "canceled" {
			t.Errorf("an order embeds the subscription with status %v", st)
		}
	}
	added, err := s.AddSubscription(map[string]any{"customer_id": erinID, "product_id": yearly})
	if err != nil {
		t.Fatal(err)
	}
	st := get(t, hs, "/v1/customers/external/usr_1006/state")
	if st.status == 200 {
		t.Errorf("erin has no external id, yet usr_1006 resolves: %s", st.raw)
	}
	st = get(t, hs, "/v1/customers/"+erinID+"/state")
	if subs := st.body["active_subscriptions"].([]any); len(subs) != 1 || subs[0].(map[string]any)["id"] != added["id"] {
		t.Errorf("erin's state after a new subscription: %s", st.raw)
	}
	if _, err := s.UpdateBenefitGrant(demoID("b6000000", 1), map[string]any{"is_granted": false, "is_revoked": true,
		"revoked_at": "2026-11-25T10:00:00Z"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateOrder(demoID("0d000000", 1), map[string]any{"status": "refunded", "refunded_amount": 2400,
		"refunded_tax_amount": 480}); err != nil {
		t.Fatal(err)
	}
	checkContract(t, s, hs, fixtureIDs(t, demoFS(t), "customers.json"))
}

// TestMutationsWhileServing interleaves mutations with requests; run
// with -race it proves the locking.
func TestMutationsWhileServing(t *testing.T) {
	s, hs := newTestServer(t, demoFS(t), Options{})
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 10; j++ {
				for _, p := range []string{"/v1/customers/?email=frank.miller@example.com", "/v1/subscriptions/",
					"/v1/customers/" + frankID + "/state", "/v1/benefit-grants/"} {
					if r := get(t, hs, p); r.status != 200 {
						t.Errorf("%s: %d", p, r.status)
					}
				}
			}
		}()
	}
	for j := 0; j < 20; j++ {
		name := strings.Repeat("F", j+1)
		if _, err := s.UpdateCustomer(frankID, map[string]any{"name": name}); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	if r := get(t, hs, "/v1/customers/"+frankID); r.body["name"] != strings.Repeat("F", 20) {
		t.Errorf("frank's name after 20 updates: %v", r.body["name"])
	}
}
