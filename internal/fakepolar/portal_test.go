package fakepolar

import (
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"
	"time"
)

// A portal link's token opens the customer portal's own API as the
// session's customer, or as the team member it was created for, until it
// expires; answers match Polar's published schemas.
func TestPortalLinkTokenOpensThePortal(t *testing.T) {
	c := loadContract(t)
	now := time.Date(2026, 11, 25, 10, 30, 0, 0, time.UTC)
	var clock atomic.Int64 // the fake's handlers read it on their own goroutines
	clock.Store(now.UnixNano())
	_, hs := newTestServer(t, demoFS(t), Options{Now: func() time.Time { return time.Unix(0, clock.Load()).UTC() }})
	tokenOf := func(body string) string {
		t.Helper()
		r := do(t, http.MethodPost, hs.URL+"/v1/customer-sessions/", DemoToken, body)
		if r.status != http.StatusCreated {
			t.Fatalf("create %s: %d %s", body, r.status, r.raw)
		}
		u, err := url.Parse(r.body["customer_portal_url"].(string))
		if err != nil {
			t.Fatal(err)
		}
		return u.Query().Get("customer_session_token")
	}
	user := func(token string) response {
		t.Helper()
		r := do(t, http.MethodGet, hs.URL+"/v1/customer-portal/customer-session/user", token, "")
		if s, ok := c.response(t, "/v1/customer-portal/customer-session/user", http.MethodGet, r.status); ok {
			c.validate(t, s, "portal user", r.raw)
		}
		return r
	}

	// With the member model on, a session naming no member is the
	// customer's owner member's, as Polar does.
	alice := tokenOf(`{"customer_id":"` + aliceID + `"}`)
	if r := user(alice); r.status != 200 || r.body["type"] != "member" || r.body["role"] != "owner" ||
		r.body["customer_id"] != aliceID || r.body["email"] != "alice@example.com" {
		t.Errorf("alice's session: %d %s", r.status, r.raw)
	}
	ken := tokenOf(`{"customer_id":"` + teamID + `","member_id":"` + kenMemberID + `"}`)
	if r := user(ken); r.status != 200 || r.body["type"] != "member" || r.body["customer_id"] != teamID ||
		r.body["member_id"] != kenMemberID || r.body["email"] != "ken@acme.example" || r.body["role"] != "member" {
		t.Errorf("ken's session: %d %s", r.status, r.raw)
	}
	byExt := tokenOf(`{"external_customer_id":"org_acme","external_member_id":"usr_acme_ken"}`)
	if r := user(byExt); r.body["member_id"] != kenMemberID {
		t.Errorf("session by external ids: %s", r.raw)
	}
	r := do(t, http.MethodGet, hs.URL+"/v1/customer-portal/customer-session/introspect", ken, "")
	if s, ok := c.response(t, "/v1/customer-portal/customer-session/introspect", http.MethodGet, r.status); ok {
		c.validate(t, s, "introspect", r.raw)
	}
	if r.status != 200 || r.body["expires_at"] != "2026-11-25T11:30:00Z" {
		t.Errorf("introspect: %d %s", r.status, r.raw)
	}

	// An organization token is no customer session, nor is a made-up one;
	// a session stops working when it expires.
	for _, tok := range []string{DemoToken, "polar_cst_made_up", ""} {
		if r := user(tok); r.status != http.StatusUnauthorized {
			t.Errorf("token %q: %d %s", tok, r.status, r.raw)
		}
	}
	clock.Store(now.Add(time.Hour).UnixNano())
	if r := user(ken); r.status != http.StatusUnauthorized {
		t.Errorf("an expired session: %d %s", r.status, r.raw)
	}
}

// Without the member model, a session is the customer's own: the portal
// opens as a customer, with no member.
func TestPortalLinkWithoutTheMemberModel(t *testing.T) {
	c := loadContract(t)
	_, hs := newTestServer(t, otherFS(t), Options{})
	const oliver = "c1000000-0002-4000-8001-000000000001"
	r := do(t, http.MethodPost, hs.URL+"/v1/customer-sessions/", DemoToken, `{"customer_id":"`+oliver+`"}`)
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.raw)
	}
	u := do(t, http.MethodGet, hs.URL+"/v1/customer-portal/customer-session/user", r.body["token"].(string), "")
	if s, ok := c.response(t, "/v1/customer-portal/customer-session/user", http.MethodGet, u.status); ok {
		c.validate(t, s, "portal user", u.raw)
	}
	if u.status != 200 || u.body["type"] != "customer" || u.body["customer_id"] != oliver || u.body["member_id"] != nil ||
		u.body["email"] != "oliver@kestrel-client.example" {
		t.Errorf("a customer's session: %d %s", u.status, u.raw)
	}
}
