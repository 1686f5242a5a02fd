package tools_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/tools"
)

// setupWords are what the merchant's setup text is made of: a customer
// signed in with a caller token never reads any of them.
var setupWords = []string{"scope", "token", "Settings", "Developers", "dashboard", "POLAR_", "polar_",
	"integration", "operator", "server URL", "proxy", "401", "403", "organization", "connectivity",
	"permission", "polar-mcp", "merchant connection"}

// visitorShapes are the customers a caller token can name: with and
// without sub, by email, by external id, by both, and a team's member by
// email or by the team's and the member's external ids.
func visitorShapes() map[string]*caller.Identity {
	return map[string]*caller.Identity{
		"email, no sub":       {Role: caller.Customer, Email: "alice@example.com"},
		"email, sub":          {Role: caller.Customer, Email: "alice@example.com", Subject: "user-1"},
		"external id, no sub": {Role: caller.Customer, ExternalID: "usr_1001"},
		"external id, sub":    {Role: caller.Customer, ExternalID: "usr_1001", Subject: "user-1"},
		"both, no sub":        {Role: caller.Customer, Email: "alice@example.com", ExternalID: "usr_1001"},
		"both, sub, locale":   {Role: caller.Customer, Email: "alice@example.com", ExternalID: "usr_1001", Subject: "u", Locale: "de"},
		// Members of the demo's team: by email, and by the team's and
		// the member's external ids.
		"team member email, no sub": {Role: caller.Customer, Email: "ken@acme.example"},
		"team member ids, sub":      {Role: caller.Customer, ExternalID: "org_acme", MemberExternalID: "usr_acme_ken", Subject: "u"},
	}
}

// merchantFailures are the merchant-side failures of Polar: every scope
// missing in turn, a refused token, each refusal and outage Polar can
// answer with, a redirect, an unreadable answer and a dropped connection.
func merchantFailures() map[string]envOptions {
	out := map[string]envOptions{
		"401 wrong token": {token: "polar_oat_not_the_right_token"},
		"no scopes":       {scopes: []string{}},
	}
	for _, s := range fakepolar.AllScopes() {
		out["without "+s] = envOptions{scopes: scopesWithout(s)}
	}
	answer := func(status int, body string, header ...string) envOptions {
		return envOptions{wrap: func(http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				for i := 0; i+1 < len(header); i += 2 {
					w.Header().Set(header[i], header[i+1])
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				_, _ = w.Write([]byte(body))
			})
		}}
	}
	out["401 invalid_token"] = answer(401, `{"error":"invalid_token","error_description":"The access token provided is expired, revoked, malformed, or invalid for other reasons."}`,
		"WWW-Authenticate", `Bearer error="invalid_token"`)
	out["403 insufficient_scope"] = answer(403, `{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token."}`,
		"WWW-Authenticate", `Bearer error="insufficient_scope"`)
	out["403 not permitted"] = answer(403, `{"error":"NotPermitted","detail":"Not permitted: organization a0000000 is not yours"}`)
	out["404 organization unknown"] = answer(404, `{"error":"ResourceNotFound","detail":"Organization not found"}`)
	out["422 organization_id"] = answer(422, `{"detail":[{"loc":["query","organization_id"],"msg":"organization_id: token is not an organization token","type":"value_error"}]}`)
	out["500"] = answer(500, `{"detail":"Internal Server Error"}`)
	out["302 to another server"] = answer(302, ``, "Location", "https://evil.example/steal")
	out["200 not JSON"] = answer(200, `<html>captive portal: sign in to the proxy</html>`)
	out["connection dropped"] = envOptions{wrap: func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
		})
	}}
	return out
}

// A customer signed in with a caller token, whatever its claims, never
// reads the merchant's setup (scopes, tokens, dashboard steps), under any
// merchant-side failure of any tool they may call; the operator's own
// session does, so that they can fix it.
func TestCustomersNeverReadTheMerchantsSetup(t *testing.T) {
	failures := merchantFailures()
	for name, o := range failures {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, o)
			errs := 0
			for shape, id := range visitorShapes() {
				for _, tl := range e.list(t, id) {
					res, err := e.tryCall(t, id, tl.Name, nil)
					if err != nil {
						t.Fatalf("%s as %s: protocol error %v", tl.Name, shape, err)
					}
					if !res.IsError {
						continue // an answer (e.g. a portal link whose URL says token) is the customer's own
					}
					errs++
					text := testkit.Text(res)
					for _, w := range setupWords {
						if strings.Contains(text, w) {
							t.Errorf("%s as a customer (%s) read %q: %s", tl.Name, shape, w, text)
						}
					}
				}
			}
			if errs == 0 && !strings.HasPrefix(name, "without ") {
				t.Errorf("no tool failed: the failure was not exercised")
			}
		})
	}
	// The same failures reach the operator's session with what to fix.
	op := customer("alice@example.com")
	for name, want := range map[string]string{"401 wrong token": "token", "without customer_sessions:write": "customer_sessions:write",
		"403 insufficient_scope": "scope", "302 to another server": "server URL"} {
		tool := tools.NamePortalLink
		if name == "403 insufficient_scope" {
			tool = tools.NameSubscriptionStatus
		}
		res := newEnv(t, failures[name]).call(t, op, tool, nil)
		if !res.IsError || !strings.Contains(testkit.Text(res), want) {
			t.Errorf("%s: the operator's session was not told %q: %s", name, want, testkit.Text(res))
		}
	}
}

// A customer whose request reached no merchant connection (a routing
// failure on the server's side) is not told about connections either.
func TestCustomersAreNotToldAboutRouting(t *testing.T) {
	srv := tools.NewServer(tools.Deps{Logger: slog.New(slog.DiscardHandler)}, tools.Options{})
	e := &env{srv: srv} // no adapter bound: the request reached no connection
	for shape, id := range visitorShapes() {
		text := mustFail(t, e.call(t, id, tools.NameSubscriptionStatus, nil), "contact support")
		for _, w := range setupWords {
			if strings.Contains(text, w) {
				t.Errorf("customer (%s) read %q: %s", shape, w, text)
			}
		}
	}
	none := &env{srv: srv, client: brokenAdapter{err: errors.New("connection conn_x: build Polar adapter: polar: an access token is required")}}
	mustFail(t, none.call(t, visitorShapes()["email, sub"], tools.NameBenefits, nil), "setup problem on our side")
}

// brokenAdapter is an adapter whose look-up fails with err, a failure
// on the server's side that is no Polar answer.
type brokenAdapter struct {
	polar.Client
	err error
}

func (b brokenAdapter) FindCustomerByEmail(context.Context, string) (*polar.Customer, error) {
	return nil, b.err
}
