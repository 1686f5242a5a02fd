package fakepolar

import (
	"fmt"
	"net/url"
	"testing"
	"time"
)

func TestCreateCustomerSession(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 30, 0, 0, time.UTC)
	_, hs := newTestServer(t, demoFS(t), Options{Now: func() time.Time { return now }})
	create := func(body string) response {
		return do(t, "POST", hs.URL+"/v1/customer-sessions/", DemoToken, body)
	}
	r := create(`{"customer_id":"` + aliceID + `","return_url":"https://support.northwind.example/chat"}`)
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.raw)
	}
	token, _ := r.body["token"].(string)
	if len(token) < 30 || token[:10] != "polar_cst_" {
		t.Errorf("token %q, want polar_cst_ and random characters", token)
	}
	u, err := url.Parse(r.body["customer_portal_url"].(string))
	if err != nil || u.Scheme != "https" || u.Host != "polar.sh" || u.Path != "/northwind-cloud/portal" ||
		u.Query().Get("customer_session_token") != token {
		t.Errorf("customer_portal_url %q", r.body["customer_portal_url"])
	}
	if r.body["expires_at"] != "2026-11-25T11:30:00Z" {
		t.Errorf("expires_at %v, want an hour from now", r.body["expires_at"])
	}
	if r.body["customer_id"] != aliceID || r.body["customer"].(map[string]any)["email"] != "alice@example.com" ||
		r.body["return_url"] != "https://support.northwind.example/chat" {
		t.Errorf("session: %s", r.raw)
	}
	if again := create(`{"customer_id":"` + aliceID + `"}`); again.body["token"] == token || again.body["id"] == r.body["id"] {
		t.Error("two sessions share a token or id")
	} else if again.body["return_url"] != nil {
		t.Errorf("return_url without one given: %v", again.body["return_url"])
	}

	// A team customer (the member model is on) needs the member the session is for.
	if r := create(`{"external_customer_id":"org_acme","external_member_id":"usr_acme_priya"}`); r.status != 201 || r.body["customer_id"] != teamID {
		t.Errorf("by external id: %d %s", r.status, r.raw)
	}
}

func TestCreateCustomerSessionErrors(t *testing.T) {
	_, hs := newTestServer(t, demoFS(t), Options{})
	for body, want := range map[string]struct {
		loc, typ string
	}{
		`{"customer_id":"` + unknownUUID + `"}`:   {"[body customer_id]", "value_error"},
		`{"customer_id":"nope"}`:                  {"[body customer_id]", "uuid_parsing"},
		`{"customer_id":42}`:                      {"[body customer_id]", "uuid_type"},
		`{"external_customer_id":"no-such-user"}`: {"[body external_customer_id]", "value_error"},
		`{}`:              {"[body customer_id]", "missing"},
		`{"customer_id":`: {"[body 0]", "json_invalid"},
		`{"customer_id":"` + aliceID + `","return_url":"not a url"}`: {"[body return_url]", "url_parsing"},
	} {
		r := do(t, "POST", hs.URL+"/v1/customer-sessions/", DemoToken, body)
		if r.status != 422 {
			t.Errorf("%s: %d %s, want 422", body, r.status, r.raw)
			continue
		}
		d := r.body["detail"].([]any)[0].(map[string]any)
		if got := fmt.Sprint(d["loc"]); got != want.loc || d["type"] != want.typ {
			t.Errorf("%s: loc %s type %v, want %s %s", body, got, d["type"], want.loc, want.typ)
		}
	}
}
