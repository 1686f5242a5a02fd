package fakepolar

import (
	"net/http"
	"testing"
)

func TestControlSurface(t *testing.T) {
	s, hs := newTestServer(t, demoFS(t), Options{Control: true})
	post := func(path, body string) response { return do(t, http.MethodPost, hs.URL+path, "", body) }

	if r := post("/__fake/customers/"+aliceID, `{"email":"alice.new@example.com"}`); r.status != 200 ||
		r.body["email"] != "alice.new@example.com" {
		t.Fatalf("update alice: %d %s", r.status, r.raw)
	}
	r := post("/__fake/customers", `{"email":"alice@example.com","external_id":"usr_2001"}`)
	if r.status != 201 || r.body["id"] == nil {
		t.Fatalf("add customer: %d %s", r.status, r.raw)
	}
	if got := get(t, hs, "/v1/customers/?email=alice@example.com").ids(); len(got) != 1 || got[0] != r.body["id"] {
		t.Errorf("the email's owner after the control calls: %v, want %v", got, r.body["id"])
	}
	if r := post("/__fake/subscriptions/"+demoID("51000000", 1), `{"cancel_at_period_end":true}`); r.status != 200 ||
		r.body["cancel_at_period_end"] != true {
		t.Errorf("cancel: %d %s", r.status, r.raw)
	}
	for _, tc := range []struct {
		method, path, body string
		status             int
		code               string
	}{
		{"POST", "/__fake/customers/" + unknownUUID, `{"name":"x"}`, 404, "ResourceNotFound"},
		{"POST", "/__fake/customers/" + aliceID, `{"email":42}`, 400, "InvalidPatch"},
		{"POST", "/__fake/customers/" + aliceID, `not json`, 400, "InvalidBody"},
		{"POST", "/__fake/customers/" + aliceID, `[1]`, 400, "InvalidBody"},
		{"POST", "/__fake/orders", `{}`, 404, "NotFound"},
		{"POST", "/__fake/unicorns/1", `{}`, 404, "NotFound"},
		{"GET", "/__fake/customers/" + aliceID, "", 405, "MethodNotAllowed"},
		{"POST", "/__fake/webhooks", "{}", 405, "MethodNotAllowed"},
	} {
		r := do(t, tc.method, hs.URL+tc.path, "", tc.body)
		if r.status != tc.status || r.body["error"] != tc.code || r.body["detail"] == "" {
			t.Errorf("%s %s: %d %s, want %d %s", tc.method, tc.path, r.status, r.raw, tc.status, tc.code)
		}
	}
	if n := s.RequestCount(); n != 1 {
		t.Errorf("recorded %d requests, want only the Polar one", n)
	}
}

func TestControlSurfaceIsOffByDefault(t *testing.T) {
	_, hs := newTestServer(t, demoFS(t), Options{})
	r := do(t, http.MethodPost, hs.URL+"/__fake/customers/"+aliceID, DemoToken, `{"email":"x@example.com"}`)
	if r.status != 404 {
		t.Errorf("control call without Options.Control: %d %s", r.status, r.raw)
	}
	if got := get(t, hs, "/v1/customers/"+aliceID); got.body["email"] != "alice@example.com" {
		t.Errorf("alice's email changed to %v", got.body["email"])
	}
}
