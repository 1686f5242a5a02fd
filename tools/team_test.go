package tools_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/internal/panel"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/tools"
)

// The demo's team (internal/fakepolar/fixtures/demo/README.md): members,
// their member ids, license key suffixes and device names.
var demoTeam = []struct {
	email, memberID, key, device string
}{
	{"team@acme.example", "ae000000-0001-4000-8001-000000000001", "A001", "Priya's ThinkPad"},
	{"billing@acme.example", "ae000000-0001-4000-8002-000000000002", "", ""},
	{"ken@acme.example", "ae000000-0001-4000-8003-000000000003", "3C7D", "Ken's laptop"},
	{"lena@acme.example", "ae000000-0001-4000-8004-000000000004", "", ""},
	{"max@acme.example", "ae000000-0001-4000-8005-000000000005", "9A4F", "Max's desktop"},
	{"erin@example.com", "ae000000-0001-4000-8006-000000000006", "E41B", "Erin's MacBook"},
}

// sessionBodies records the customer-session request bodies the fake got.
type sessionBodies struct {
	mu     sync.Mutex
	bodies []map[string]any
}

func (s *sessionBodies) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/v1/customer-sessions/" {
			raw, _ := io.ReadAll(r.Body)
			var body map[string]any
			_ = json.Unmarshal(raw, &body)
			s.mu.Lock()
			s.bodies = append(s.bodies, body)
			s.mu.Unlock()
			r.Body = io.NopCloser(bytes.NewReader(raw))
		}
		next.ServeHTTP(w, r)
	})
}

func (s *sessionBodies) last(t *testing.T) map[string]any {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.bodies) == 0 {
		t.Fatal("no customer session was requested")
	}
	return s.bodies[len(s.bodies)-1]
}

func (s *sessionBodies) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.bodies)
}

// noOtherMember fails when a customer's answer (text or structured)
// shows another member's email, license key or device.
func noOtherMember(t *testing.T, self string, res *mcp.CallToolResult) {
	t.Helper()
	raw, _ := json.Marshal(res.StructuredContent)
	all := testkit.Text(res) + string(raw)
	for _, m := range demoTeam {
		if m.email == self {
			continue
		}
		for _, leak := range []string{m.email, m.key, m.device} {
			if leak != "" && strings.Contains(all, leak) {
				t.Errorf("%s was shown %q of %s:\n%s", self, leak, m.email, all)
			}
		}
	}
}

func teamsOf(t *testing.T, res *mcp.CallToolResult) []tools.TeamView {
	t.Helper()
	var s tools.Subject
	structured(t, res, &s)
	return s.Teams
}

// TestTeamRolesSeeWhatThePortalShows runs each role and seat state of the
// demo's team through a real MCP client: status, orders, benefits, portal
// link and manage subscription.
func TestTeamRolesSeeWhatThePortalShows(t *testing.T) {
	var sessions sessionBodies
	e := newEnv(t, envOptions{cached: true, wrap: sessions.wrap})
	type want struct {
		status, orders, benefits []string
		notOrders                bool
		role, seat               string
		manages                  bool
	}
	cases := map[string]want{
		"team@acme.example": {role: "owner", seat: "claimed", manages: true,
			status:   []string{"team account Acme Robotics, where you are the owner", "Seats: 12 in total, 3 claimed, 1 invitation(s) pending, 8 free", "Your seat is active (claimed 18 Nov 2026)", "seats go from 12 to 15 on 2 Dec 2026"},
			orders:   []string{"NWC-0008"},
			benefits: []string{"PRO-****-****-A001", "Priya's ThinkPad", "Team workspaces"}},
		"billing@acme.example": {role: "billing_manager", manages: true,
			status:   []string{"where you are a billing manager", "Seats: 12 in total", "You hold no seat on this plan."},
			orders:   []string{"NWC-0008"},
			benefits: []string{"Team workspaces"}},
		"ken@acme.example": {role: "member", seat: "claimed", notOrders: true,
			status:   []string{"where you are a member", "Your seat is active (claimed 18 Nov 2026)", "Only the team's owner or a billing manager can cancel"},
			benefits: []string{"PRO-****-****-3C7D", "Ken's laptop"}},
		"lena@acme.example": {role: "member", seat: "pending", notOrders: true,
			status:   []string{"accept the invitation email to claim it before the invitation expires on 30 Nov 2026"},
			benefits: []string{"has no active benefits"}},
		"max@acme.example": {role: "member", seat: "revoked", notOrders: true,
			status:   []string{"Your seat was revoked on 22 Nov 2026; ask the team's owner or a billing manager"},
			benefits: []string{"has no active benefits"}},
	}
	for _, m := range demoTeam[:5] {
		w := cases[m.email]
		t.Run(m.email, func(t *testing.T) {
			id := customer(m.email)
			res := e.call(t, id, tools.NameSubscriptionStatus, nil)
			mustAnswer(t, res, append([]string{"Team: trialing, $120.00 / month, 12 seats"}, w.status...)...)
			noOtherMember(t, m.email, res)
			teams := teamsOf(t, res)
			if len(teams) != 1 || teams[0].Role != w.role || teams[0].Team != "Acme Robotics" || !teams[0].Answered {
				t.Fatalf("teams %+v", teams)
			}
			if got := ""; teams[0].Seat != nil {
				got = teams[0].Seat.Status
				if got != w.seat {
					t.Errorf("seat %q, want %q", got, w.seat)
				}
			} else if w.seat != "" {
				t.Errorf("no seat, want %q", w.seat)
			}

			res = e.call(t, id, tools.NameOrderHistory, nil)
			if w.notOrders {
				got := mustAnswer(t, res, "Only the team's owner or a billing manager", "orders and invoices")
				if strings.Contains(got, "NWC-") {
					t.Errorf("a plain member was shown the team's invoices: %s", got)
				}
				var out tools.OrderHistoryOutput
				structured(t, res, &out)
				if len(out.Orders) != 0 {
					t.Errorf("orders %+v", out.Orders)
				}
			} else {
				mustAnswer(t, res, w.orders...)
			}
			noOtherMember(t, m.email, res)

			res = e.call(t, id, tools.NameBenefits, nil)
			mustAnswer(t, res, w.benefits...)
			noOtherMember(t, m.email, res)

			before := sessions.count()
			res = e.call(t, id, tools.NamePortalLink, nil)
			mustAnswer(t, res, "https://polar.sh/northwind-cloud/portal?customer_session_token=", "Acme Robotics")
			if body := sessions.last(t); body["member_id"] != m.memberID || body["customer_id"] != "c1000000-0001-4000-8004-000000000004" {
				t.Errorf("session request %v, want member_id %s", body, m.memberID)
			}
			noOtherMember(t, m.email, res)

			res = e.call(t, id, tools.NameManageSubscription, map[string]any{"action": "cancel"})
			if w.manages {
				mustAnswer(t, res, "To cancel, open the link", "customer_session_token=")
				if body := sessions.last(t); body["member_id"] != m.memberID {
					t.Errorf("manage session %v", body)
				}
			} else {
				got := mustAnswer(t, res, "Only the team's owner or a billing manager can cancel", "Nothing has been changed.")
				if strings.Contains(got, "https://") || sessions.count() != before+1 {
					t.Errorf("a plain member got a session to cancel the team's plan: %s", got)
				}
			}
		})
	}
}

// TestMemberWhoIsAlsoACustomer: erin is an individual customer with
// nothing of her own and a member of the team with a claimed seat.
func TestMemberWhoIsAlsoACustomer(t *testing.T) {
	var sessions sessionBodies
	e := newEnv(t, envOptions{cached: true, wrap: sessions.wrap})
	id := customer("erin@example.com")
	res := e.call(t, id, tools.NameSubscriptionStatus, nil)
	mustAnswer(t, res, "erin@example.com has no subscriptions.",
		"You are also a member of the team account Acme Robotics, on its Team (trialing) plan. Your seat is active (claimed 19 Nov 2026).")
	noOtherMember(t, "erin@example.com", res)
	if teams := teamsOf(t, res); len(teams) != 1 || teams[0].Answered || teams[0].Seat == nil || teams[0].Seat.Status != "claimed" {
		t.Errorf("teams %+v", teams)
	}
	res = e.call(t, id, tools.NameBenefits, nil)
	mustAnswer(t, res, "From your seat on the team account Acme Robotics", "PRO-****-****-E41B", "Erin's MacBook")
	noOtherMember(t, "erin@example.com", res)
	res = e.call(t, id, tools.NameOrderHistory, nil)
	if got := mustAnswer(t, res, "no orders"); strings.Contains(got, "NWC-") {
		t.Errorf("erin was shown the team's orders: %s", got)
	}
	res = e.call(t, id, tools.NamePortalLink, nil)
	mustAnswer(t, res, "customer_session_token=")
	if body := sessions.last(t); body["customer_id"] != "c1000000-0001-4000-8006-000000000006" || body["member_id"] != nil {
		t.Errorf("erin's own portal session %v", body)
	}
}

// TestMemberByTokenExternalID: a token's external_member_id (beside the
// team's external_customer_id) is resolved in one request.
func TestMemberByTokenExternalID(t *testing.T) {
	var sessions sessionBodies
	e := newEnv(t, envOptions{cached: true, wrap: sessions.wrap})
	ken := &caller.Identity{Role: caller.Customer, ExternalID: "org_acme", MemberExternalID: "usr_acme_ken"}
	e.fake.ResetRequests()
	res := e.call(t, ken, tools.NameSubscriptionStatus, nil)
	mustAnswer(t, res, "where you are a member", "Your seat is active")
	lookups := 0
	for _, r := range e.fake.Requests() {
		if r.Path == "/v1/customers/external/org_acme/members/usr_acme_ken" {
			lookups++
		}
		if r.Path == "/v1/members/" {
			t.Errorf("a token's member id listed members: %+v", r)
		}
	}
	if lookups != 1 {
		t.Errorf("member lookups %d, want 1", lookups)
	}
	mustAnswer(t, e.call(t, ken, tools.NamePortalLink, nil), "customer_session_token=")
	if body := sessions.last(t); body["member_id"] != "ae000000-0001-4000-8003-000000000003" || body["external_customer_id"] != "org_acme" {
		t.Errorf("session %v", body)
	}
	nobody := &caller.Identity{Role: caller.Customer, ExternalID: "org_acme", MemberExternalID: "usr_nobody"}
	mustAnswer(t, e.call(t, nobody, tools.NameSubscriptionStatus, nil), "No subscription was found")
	// The owner by the team's own email; a plain member never reaches
	// another member's account by naming it.
	mustFail(t, e.call(t, customer("ken@acme.example"), tools.NameBenefits, map[string]any{"email": "team@acme.example"}),
		"only see your own account")
}

// TestAgentSeesTheMemberView: get_visitor_insights on a member's email
// shows the team, role and own seat; on the owner's, the seat counts; an
// agent's portal link for a member carries that member.
func TestAgentSeesTheMemberView(t *testing.T) {
	var sessions sessionBodies
	e := newEnv(t, envOptions{cached: true, wrap: sessions.wrap})
	res := e.call(t, agent(), tools.NameVisitorInsights, map[string]any{"email": "ken@acme.example"})
	mustAnswer(t, res, "ken@acme.example (a member of the team customer Acme Robotics)",
		"Team account Acme Robotics: this email is its member; seat claimed since 18 Nov 2026.",
		"Seats: 12 in total, 3 claimed", "PRO-****-****-3C7D")
	if got := testkit.Text(res); strings.Contains(got, "A001") || strings.Contains(got, "E41B") {
		t.Errorf("insights on ken show other members' keys: %s", got)
	}
	var out struct {
		Teams []tools.TeamView `json:"teams"`
		Plan  string           `json:"plan"`
		Seats int              `json:"seats"`
	}
	structured(t, res, &out)
	if len(out.Teams) != 1 || out.Teams[0].Role != "member" || out.Teams[0].Seat == nil || out.Plan != "Team" || out.Seats != 12 {
		t.Errorf("structured %+v", out)
	}
	mustAnswer(t, e.call(t, agent(), tools.NameVisitorInsights, map[string]any{"email": "team@acme.example"}),
		"this email is its owner", "Seats: 12 in total, 3 claimed, 1 invitation(s) pending, 8 free")
	mustAnswer(t, e.call(t, agent(), tools.NameVisitorInsights, map[string]any{"email": "lena@acme.example"}),
		"seat pending (invitation not accepted, expires 30 Nov 2026)")
	mustAnswer(t, e.call(t, agent(), tools.NamePortalLink, map[string]any{"email": "billing@acme.example"}),
		"customer portal link for billing@acme.example")
	if body := sessions.last(t); body["member_id"] != "ae000000-0001-4000-8002-000000000002" {
		t.Errorf("agent's session for the billing manager %v", body)
	}
}

// TestTeamRequestsAreSpecOperations: every request the team answers made
// is an operation of Polar's OpenAPI document, with parameters it
// declares.
func TestTeamRequestsAreSpecOperations(t *testing.T) {
	spec := loadSpec(t)
	e := newEnv(t, envOptions{cached: true})
	for _, m := range demoTeam {
		for _, name := range []string{tools.NameSubscriptionStatus, tools.NameOrderHistory, tools.NameBenefits, tools.NamePortalLink} {
			e.call(t, customer(m.email), name, nil)
		}
		e.call(t, agent(), tools.NameVisitorInsights, map[string]any{"email": m.email})
	}
	e.call(t, &caller.Identity{Role: caller.Customer, ExternalID: "org_acme", MemberExternalID: "usr_acme_omar"}, tools.NamePortalLink, nil)
	for _, r := range e.fake.Requests() {
		params, ok := spec.operation(r.Method, r.Path)
		if !ok {
			t.Errorf("%s %s is no operation of the spec", r.Method, r.Path)
			continue
		}
		for k := range r.Query {
			if !params[k] {
				t.Errorf("%s %s: query parameter %q is not the operation's", r.Method, r.Path, k)
			}
		}
	}
}

// spec is the OpenAPI document's operations: path template -> method ->
// query parameter names.
type spec map[string]map[string]map[string]bool

func loadSpec(t *testing.T) spec {
	t.Helper()
	raw := testkit.OpenAPI(t)
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Name string `json:"name"`
				In   string `json:"in"`
			} `json:"parameters"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	s := spec{}
	for path, ops := range doc.Paths {
		s[path] = map[string]map[string]bool{}
		for method, op := range ops {
			q := map[string]bool{}
			for _, p := range op.Parameters {
				if p.In == "query" {
					q[p.Name] = true
				}
			}
			s[path][strings.ToUpper(method)] = q
		}
	}
	return s
}

// operation finds the operation a request path matches, and its query
// parameters.
func (s spec) operation(method, path string) (map[string]bool, bool) {
	parts := strings.Split(path, "/")
	for template, ops := range s {
		tp := strings.Split(template, "/")
		if len(tp) != len(parts) {
			continue
		}
		match := true
		for i := range tp {
			if !(strings.HasPrefix(tp[i], "{") && parts[i] != "") && tp[i] != parts[i] {
				match = false
				break
			}
		}
		if q, ok := ops[method]; match && ok {
			return q, true
		}
	}
	return nil, false
}

// TestInsightsTeamsReachThePanelCard: the insights' structured teams decode
// into the panel card's data (panel.Insights), seat and all.
func TestInsightsTeamsReachThePanelCard(t *testing.T) {
	e := newEnv(t, envOptions{cached: true})
	res := e.call(t, agent(), tools.NameVisitorInsights, map[string]any{"email": "max@acme.example"})
	var card panel.Insights
	structured(t, res, &card)
	if len(card.Teams) != 1 || card.Teams[0].Team != "Acme Robotics" || card.Teams[0].Role != "member" ||
		card.Teams[0].Seat == nil || card.Teams[0].Seat.Status != "revoked" || card.Teams[0].Seat.RevokedAt == "" {
		t.Fatalf("card teams %+v", card.Teams)
	}
}

// TestTeamWithoutSeatScope: a token without customer_seats:read still
// answers a member with the team's plan, and says nothing of a seat it
// could not read.
func TestTeamWithoutSeatScope(t *testing.T) {
	var scopes []string
	for _, s := range fakepolar.AllScopes() {
		if s != "customer_seats:read" {
			scopes = append(scopes, s)
		}
	}
	e := newEnv(t, envOptions{cached: true, scopes: scopes})
	got := mustAnswer(t, e.call(t, customer("ken@acme.example"), tools.NameSubscriptionStatus, nil),
		"Team: trialing", "where you are a member", "Only the team's owner or a billing manager")
	if strings.Contains(got, "seat is") || strings.Contains(got, "no seat") {
		t.Errorf("a seat was described without reading it: %s", got)
	}
}
