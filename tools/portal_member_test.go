package tools_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/tools"
)

// portalUser follows a portal link on the fake Polar API: the link's
// customer session token asks the customer portal whom it opens as
// (customer-session/user) and until when (customer-session/introspect).
func portalUser(t *testing.T, fake *fakepolar.Server, link string) (user map[string]any, expires string) {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatalf("portal link %q: %v", link, err)
	}
	token := u.Query().Get("customer_session_token")
	get := func(path string) map[string]any {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		fake.ServeHTTP(rec, req)
		var body map[string]any
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &body) != nil {
			t.Fatalf("following the portal link: %s %d %s", path, rec.Code, rec.Body)
		}
		return body
	}
	user = get("/v1/customer-portal/customer-session/user")
	exp, _ := get("/v1/customer-portal/customer-session/introspect")["expires_at"].(string)
	return user, exp
}

// An agent's portal link for a team member opens the portal as that
// member (a session with their member id), with the session's real
// expiry; an individual customer's opens as the customer.
func TestAgentPortalLinkOpensAsTheMember(t *testing.T) {
	var sessions sessionBodies
	e := newEnv(t, envOptions{cached: true, wrap: sessions.wrap})
	for _, m := range demoTeam {
		if m.email == "erin@example.com" {
			continue // a customer of her own too: below
		}
		res := e.call(t, agent(), tools.NamePortalLink, map[string]any{"email": m.email})
		mustAnswer(t, res, "customer portal link for "+m.email, "Acme Robotics")
		var out tools.PortalOutput
		structured(t, res, &out)
		if body := sessions.last(t); body["member_id"] != m.memberID {
			t.Errorf("%s: session requested as %v, want member %s", m.email, body, m.memberID)
		}
		user, expires := portalUser(t, e.fake, out.URL)
		if user["type"] != "member" || user["member_id"] != m.memberID || user["email"] != m.email ||
			user["customer_id"] != "c1000000-0001-4000-8004-000000000004" {
			t.Errorf("%s's link opens the portal as %v", m.email, user)
		}
		want, err1 := time.Parse(time.RFC3339Nano, expires)
		got, err2 := time.Parse(time.RFC3339, out.ExpiresAt)
		if err1 != nil || err2 != nil || !got.Equal(want.Truncate(time.Second)) {
			t.Errorf("%s: expires_at %q, the session expires %q", m.email, out.ExpiresAt, expires)
		}
	}
	// Erin is a customer of her own and a member of Acme: her email opens
	// her own account.
	res := e.call(t, agent(), tools.NamePortalLink, map[string]any{"email": "erin@example.com"})
	var out tools.PortalOutput
	structured(t, res, &out)
	if user, _ := portalUser(t, e.fake, out.URL); user["customer_id"] != "c1000000-0001-4000-8006-000000000006" || user["email"] != "erin@example.com" {
		t.Errorf("erin's link opens the portal as %v", user)
	}
}
