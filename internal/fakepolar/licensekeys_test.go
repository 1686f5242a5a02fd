package fakepolar

import (
	"strings"
	"testing"
)

// Demo license keys (fixtures/demo/license_keys.json).
var (
	aliceKey   = demoID("1c000000", 1) // 2 of 3 activations
	carolKey   = demoID("1c000000", 3) // revoked
	liamKey    = demoID("1c000000", 4) // 3 of 3 activations, usage 950/1000, expires 2026-12-01
	unknownKey = "1c000000-0001-4000-8fff-000000000fff"
)

func TestGetLicenseKey(t *testing.T) {
	_, hs := newTestServer(t, demoFS(t), Options{Tokens: map[string][]string{
		"read":   {"license_keys:read"},
		"write":  {"license_keys:write"},
		"orders": {"orders:read", "customers:read", "benefits:read"},
	}})
	r := do(t, "GET", hs.URL+"/v1/license-keys/"+liamKey, "read", "")
	if r.status != 200 {
		t.Fatalf("liam's key: %d %s", r.status, r.raw)
	}
	acts, _ := r.body["activations"].([]any)
	var labels []string
	for _, a := range acts {
		labels = append(labels, a.(map[string]any)["label"].(string))
	}
	if r.body["status"] != "granted" || r.body["limit_activations"] != 3.0 || len(acts) != 3 ||
		r.body["usage"] != 950.0 || r.body["limit_usage"] != 1000.0 || r.body["expires_at"] != "2026-12-01T10:01:10Z" {
		t.Errorf("liam's key at its limits: %s", r.raw)
	}
	if strings.Join(labels, ", ") != "Work MacBook Pro, Home desktop, CI runner" {
		t.Errorf("activation labels %v", labels)
	}
	// The full key is in Polar's answer (callers must drop it); the
	// fixtures only ever hold placeholders.
	if k, _ := r.body["key"].(string); !strings.Contains(k, "DEMO-FAKE-KEY-NOT-REAL") || r.body["display_key"] != "PRO-****-****-C41E" {
		t.Errorf("key %q, display_key %v", k, r.body["display_key"])
	}
	if cust, _ := r.body["customer"].(map[string]any); cust["email"] != "license.limit@example.com" {
		t.Errorf("key's customer %v", cust["email"])
	}
	if r := do(t, "GET", hs.URL+"/v1/license-keys/"+carolKey, "write", ""); r.status != 200 || r.body["status"] != "revoked" {
		t.Errorf("carol's key with license_keys:write: %d %v", r.status, r.body["status"])
	}
	if r := do(t, "GET", hs.URL+"/v1/license-keys/"+strings.ToUpper(aliceKey), "read", ""); r.status != 200 || len(r.body["activations"].([]any)) != 2 {
		t.Errorf("alice's key: %d %s", r.status, r.raw)
	}
}

func TestGetLicenseKeyErrors(t *testing.T) {
	_, hs := newTestServer(t, demoFS(t), Options{Tokens: map[string][]string{
		"read":   {"license_keys:read"},
		"orders": {"orders:read", "customers:read", "benefits:read"},
	}})
	r := do(t, "GET", hs.URL+"/v1/license-keys/"+unknownKey, "read", "")
	if r.status != 404 || r.body["error"] != "ResourceNotFound" || r.body["detail"] != "Not found" {
		t.Errorf("unknown key: %d %s", r.status, r.raw)
	}
	r = do(t, "GET", hs.URL+"/v1/license-keys/PRO-1234", "read", "")
	if d, _ := r.body["detail"].([]any); r.status != 422 || len(d) != 1 || d[0].(map[string]any)["type"] != "uuid_parsing" {
		t.Errorf("a key string instead of an id: %d %s", r.status, r.raw)
	}
	r = do(t, "GET", hs.URL+"/v1/license-keys/"+aliceKey, "orders", "")
	h := r.header.Get("WWW-Authenticate")
	if r.status != 403 || r.body["error"] != "insufficient_scope" || !strings.Contains(h, "license_keys:read") {
		t.Errorf("without license_keys:read: %d %s %q", r.status, r.raw, h)
	}
	if r := do(t, "GET", hs.URL+"/v1/license-keys/"+aliceKey, "", ""); r.status != 401 {
		t.Errorf("without token: %d", r.status)
	}
}

func TestActiveMetersInCustomerState(t *testing.T) {
	_, hs := newTestServer(t, demoFS(t), Options{})
	r := get(t, hs, "/v1/customers/"+demoID("c1000000", 13)+"/state")
	meters, _ := r.body["active_meters"].([]any)
	if r.status != 200 || len(meters) != 1 {
		t.Fatalf("metered customer's state: %d %s", r.status, r.raw)
	}
	m := meters[0].(map[string]any)
	if m["consumed_units"] != 63200.0 || m["credited_units"] != 10000.0 || m["balance"] != -53200.0 {
		t.Errorf("active meter %v", m)
	}
	if _, ok := m["customer"]; ok {
		t.Error("a CustomerStateMeter does not embed the customer")
	}
	subs, _ := r.body["active_subscriptions"].([]any)
	sm, _ := subs[0].(map[string]any)["meters"].([]any)
	if len(sm) != 1 || sm[0].(map[string]any)["amount"] != 26600.0 {
		t.Errorf("subscription meter so far: %v", sm)
	}
	if r := get(t, hs, "/v1/customers/"+aliceID+"/state"); len(r.body["active_meters"].([]any)) != 0 {
		t.Errorf("alice has no meter: %s", r.raw)
	}
}
