package fakepolar

import (
	"net/http"
	"strings"
	"testing"
)

func TestMissingOrWrongTokenIs401(t *testing.T) {
	_, hs := newTestServer(t, demoFS(t), Options{})
	for name, token := range map[string]string{"no token": "", "wrong token": "polar_oat_not_a_real_one"} {
		r := do(t, http.MethodGet, hs.URL+"/v1/customers/", token, "")
		if r.status != 401 || r.body["error"] != "invalid_token" || r.body["error_description"] == nil {
			t.Errorf("%s: %d %s, want 401 invalid_token", name, r.status, r.raw)
		}
		if h := r.header.Get("WWW-Authenticate"); h != `Bearer error="invalid_token"` {
			t.Errorf("%s: WWW-Authenticate %q", name, h)
		}
	}
	// A non-Bearer scheme carrying the right token is not accepted either.
	req, _ := http.NewRequest(http.MethodGet, hs.URL+"/v1/customers/", nil)
	req.Header.Set("Authorization", "Basic "+DemoToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("Basic scheme: %d, want 401", resp.StatusCode)
	}
}

func TestScopes(t *testing.T) {
	const (
		readOnly  = "polar_oat_read_customers"
		writeOnly = "polar_oat_write_customers"
		sessions  = "polar_oat_sessions"
	)
	_, hs := newTestServer(t, demoFS(t), Options{Tokens: map[string][]string{
		readOnly:  {"customers:read", "subscriptions:read"},
		writeOnly: {"customers:write"},
		sessions:  {"customer_sessions:write"},
	}})
	for _, tc := range []struct {
		token, method, path string
		status              int
		scope               string // expected in WWW-Authenticate on 403
	}{
		{readOnly, "GET", "/v1/customers/", 200, ""},
		{readOnly, "GET", "/v1/customers/" + aliceID + "/state", 200, ""},
		{readOnly, "GET", "/v1/subscriptions/", 200, ""},
		{writeOnly, "GET", "/v1/customers/", 200, ""}, // a write scope implies read
		{readOnly, "GET", "/v1/orders/", 403, "orders:read"},
		{readOnly, "GET", "/v1/products/", 403, "products:read"},
		{readOnly, "GET", "/v1/benefits/", 403, "benefits:read"},
		{readOnly, "GET", "/v1/organizations/", 403, "organizations:read"},
		{writeOnly, "GET", "/v1/subscriptions/", 403, "subscriptions:read"},
		{readOnly, "POST", "/v1/customer-sessions/", 403, "customer_sessions:write"},
		{sessions, "GET", "/v1/customers/", 403, "customers:read"},
	} {
		body := ""
		if tc.method == "POST" {
			body = `{"customer_id":"` + unknownUUID + `"}`
		}
		r := do(t, tc.method, hs.URL+tc.path, tc.token, body)
		if r.status != tc.status {
			t.Errorf("%s %s with %s: %d %s, want %d", tc.method, tc.path, tc.token, r.status, r.raw, tc.status)
			continue
		}
		if tc.status != 403 {
			continue
		}
		if r.body["error"] != "insufficient_scope" ||
			r.body["error_description"] != "The request requires higher privileges than provided by the access token." {
			t.Errorf("%s: body %s", tc.path, r.raw)
		}
		h := r.header.Get("WWW-Authenticate")
		if !strings.HasPrefix(h, `Bearer error="insufficient_scope", scope="`) || !strings.Contains(h, tc.scope) {
			t.Errorf("%s: WWW-Authenticate %q, want insufficient_scope naming %s", tc.path, h, tc.scope)
		}
	}
}

// TestSessionScopeProbe shows how a connection check can probe
// customer_sessions:write without creating anything: a bogus customer id
// answers 422 with the scope and 403 without it.
func TestSessionScopeProbe(t *testing.T) {
	_, hs := newTestServer(t, demoFS(t), Options{Tokens: map[string][]string{
		"with":    {"customer_sessions:write"},
		"without": {"customers:read"},
	}})
	probe := `{"customer_id":"00000000-0000-4000-8000-000000000000"}`
	if r := do(t, "POST", hs.URL+"/v1/customer-sessions/", "with", probe); r.status != 422 {
		t.Errorf("with scope: %d %s, want 422", r.status, r.raw)
	}
	if r := do(t, "POST", hs.URL+"/v1/customer-sessions/", "without", probe); r.status != 403 {
		t.Errorf("without scope: %d %s, want 403", r.status, r.raw)
	}
}

func TestOrderOfChecks(t *testing.T) {
	_, hs := newTestServer(t, demoFS(t), Options{Tokens: map[string][]string{"t": {"customers:read"}}})
	// Unknown routes are 404 before authentication.
	if r := do(t, "GET", hs.URL+"/v1/unknown/", "", ""); r.status != 404 {
		t.Errorf("unknown route without token: %d, want 404", r.status)
	}
	// Authentication and scopes come before parameter validation.
	if r := do(t, "GET", hs.URL+"/v1/customers/?limit=0", "", ""); r.status != 401 {
		t.Errorf("bad params without token: %d, want 401", r.status)
	}
	if r := do(t, "GET", hs.URL+"/v1/orders/?limit=0", "t", ""); r.status != 403 {
		t.Errorf("bad params without scope: %d, want 403", r.status)
	}
	// Validation comes before lookup.
	if r := do(t, "GET", hs.URL+"/v1/customers/nope", "t", ""); r.status != 422 {
		t.Errorf("malformed id: %d, want 422", r.status)
	}
}
