package tools_test

import (
	"context"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/polar/cache"
	"github.com/polar-mcp/polar-mcp/tools"
)

const sessionsPath = "POST /v1/customer-sessions/"

// portalOf asks id for a portal link and returns its URL and expiry.
func portalOf(t *testing.T, e *env, id *caller.Identity, args ...map[string]any) (string, time.Time) {
	t.Helper()
	var a map[string]any
	if len(args) > 0 {
		a = args[0]
	}
	res := e.call(t, id, tools.NamePortalLink, a)
	mustAnswer(t, res)
	var out tools.PortalOutput
	structured(t, res, &out)
	exp, err := time.Parse(time.RFC3339, out.ExpiresAt)
	if err != nil || out.URL == "" {
		t.Fatalf("portal answer %+v: %v", out, err)
	}
	return out.URL, exp
}

// TestPortalSessionReusedForTheSameCaller: while webhooks arrive, a
// second portal link for the same verified caller is the same session,
// with its real expiry, and costs no request to Polar; another caller,
// another identity for the same customer, or a customer.updated gets a
// new one.
func TestPortalSessionReusedForTheSameCaller(t *testing.T) {
	e, cc, rc := webhookEnv(t, nil, func() bool { return true })
	alice := customer("alice@example.com")
	url1, exp1 := portalOf(t, e, alice)
	if left := time.Until(exp1); left < cache.SessionReuseMargin {
		t.Fatalf("fresh session expires in %v", left)
	}
	lookups, sessions := rc.get("GET /v1/customers/"), rc.get(sessionsPath)
	url2, exp2 := portalOf(t, e, alice)
	if url2 != url1 || !exp2.Equal(exp1) {
		t.Errorf("same caller got another session: %s (%v) then %s (%v)", url1, exp1, url2, exp2)
	}
	if n := rc.get(sessionsPath) - sessions; n != 0 {
		t.Errorf("a reused link created %d sessions", n)
	}
	if n := rc.get("GET /v1/customers/") - lookups; n != 0 {
		t.Errorf("a reused link made %d customer lookups", n)
	}

	// Another caller, or the same customer asked about by someone else
	// (an agent), never gets alice's session.
	if u, _ := portalOf(t, e, customer("bob@example.com")); u == url1 {
		t.Error("bob got alice's session")
	}
	visitor := &caller.Identity{Role: caller.Customer, Email: "alice@example.com", Subject: "tok-1"}
	if u, _ := portalOf(t, e, visitor); u == url1 {
		t.Error("another identity of alice (a caller token) got the operator session's link")
	}
	if u, _ := portalOf(t, e, agent(), map[string]any{"email": "alice@example.com"}); u == url1 {
		t.Error("an agent asking about alice got alice's own session")
	}

	// customer.updated drops the customer (and its sessions) everywhere.
	c, err := cc.FindCustomerByEmail(context.Background(), "alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	cc.ForgetCustomer(c.ID)
	if u, _ := portalOf(t, e, alice); u == url1 {
		t.Error("the session was reused after customer.updated")
	}
}

// TestPortalSessionNotReusedWithoutWebhooks: without webhooks each link
// is a new session after a fresh lookup, as before.
func TestPortalSessionNotReusedWithoutWebhooks(t *testing.T) {
	e, _, rc := webhookEnv(t, nil, func() bool { return false })
	alice := customer("alice@example.com")
	url1, _ := portalOf(t, e, alice)
	lookups := rc.get("GET /v1/customers/")
	url2, _ := portalOf(t, e, alice)
	if url1 == url2 {
		t.Error("a session was reused without webhooks")
	}
	if rc.get(sessionsPath) != 2 {
		t.Errorf("sessions created = %d, want 2", rc.get(sessionsPath))
	}
	if n := rc.get("GET /v1/customers/") - lookups; n != 1 {
		t.Errorf("second link made %d customer lookups, want 1 (fresh)", n)
	}
}
