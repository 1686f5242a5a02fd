package polar_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/polar"
)

// without returns every scope the fake knows except drop.
func without(drop ...string) []string {
	return slices.DeleteFunc(fakepolar.AllScopes(), func(s string) bool { return slices.Contains(drop, s) })
}

func TestProbeFindsScopesAndOrganization(t *testing.T) {
	const tok = "polar_oat_probe_token_0123456789abcdef"
	tests := []struct {
		name        string
		scopes      []string
		wantMissing []string
		wantOrgName string
	}{
		{"every scope", fakepolar.AllScopes(), nil, "Northwind Cloud"},
		{"no organizations:read: id from a listed item, no name",
			without("organizations:read", "organizations:write"), nil, ""},
		{"no portal sessions", without("customer_sessions:write"), []string{"customer_sessions:write"}, "Northwind Cloud"},
		{"two read scopes missing", without("orders:read", "products:read", "products:write"),
			[]string{"orders:read", "products:read"}, "Northwind Cloud"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, fake := newDemo(t, fakepolar.Options{Tokens: map[string][]string{tok: tt.scopes}}, tok)
			p, err := c.Probe(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(p.Missing, tt.wantMissing) {
				t.Errorf("missing %v, want %v", p.Missing, tt.wantMissing)
			}
			for _, s := range polar.RequiredScopes() {
				if slices.Contains(p.Granted, s) == slices.Contains(tt.wantMissing, s) {
					t.Errorf("scope %s: granted %v, missing %v", s, p.Granted, p.Missing)
				}
			}
			if p.OrganizationID != fake.OrganizationID() || p.OrganizationName != tt.wantOrgName {
				t.Errorf("organization %q %q, want %q %q", p.OrganizationID, p.OrganizationName, fake.OrganizationID(), tt.wantOrgName)
			}
			for _, r := range fake.Requests() {
				if r.Method != http.MethodGet && r.Path != "/v1/customer-sessions/" {
					t.Errorf("probe sent %s %s", r.Method, r.Path)
				}
			}
		})
	}
}

func TestProbeStopsAtUnauthorized(t *testing.T) {
	c, fake := newDemo(t, fakepolar.Options{}, "polar_oat_not_a_token_the_fake_knows")
	_, err := c.Probe(context.Background())
	if pe, ok := polar.AsError(err); !ok || pe.Kind != polar.KindUnauthorized {
		t.Fatalf("err = %v, want unauthorized", err)
	}
	if n := fake.RequestCount(); n != 1 {
		t.Errorf("%d requests after a 401, want 1", n)
	}
}

func TestProbeInconclusiveAnswersAreErrors(t *testing.T) {
	c, fake := newDemo(t, fakepolar.Options{}, fakepolar.DemoToken)
	fake.InjectFault(fakepolar.Fault{Path: "/v1/orders/", Status: http.StatusBadGateway})
	_, err := c.Probe(context.Background())
	if pe, ok := polar.AsError(err); !ok || pe.Kind != polar.KindUnavailable {
		t.Fatalf("err = %v, want unavailable: a 502 proves nothing about orders:read", err)
	}
}

// TestProbeSessionUsesFreshV4UUID checks the evidence for
// customer_sessions:write: the session is asked for a random version-4
// UUID (Polar rejects other versions with 422 before any scope matters),
// and a 422 counts as granted while a 403 counts as missing.
func TestProbeSessionUsesFreshV4UUID(t *testing.T) {
	v4 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	for _, status := range []int{http.StatusUnprocessableEntity, http.StatusForbidden} {
		var ids []string
		var u *upstream
		respond := func(n int, r *http.Request) reply {
			if r.Method != http.MethodPost {
				return ok(page(1))
			}
			var body struct {
				CustomerID string `json:"customer_id"`
			}
			_ = json.Unmarshal([]byte(u.requests()[n].Body), &body)
			ids = append(ids, body.CustomerID)
			if status == http.StatusForbidden {
				return reply{status: status, body: `{"error":"insufficient_scope","detail":"missing scope"}`}
			}
			return reply{status: status, body: `{"detail":[{"loc":["body","customer_id"],"msg":"Customer does not exist.","type":"value_error"}]}`}
		}
		c, up := newClient(t, respond)
		u = up
		for range 2 {
			p, err := c.Probe(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			granted := slices.Contains(p.Granted, polar.ScopeCustomerSessionsWrite)
			if granted != (status == http.StatusUnprocessableEntity) || granted == slices.Contains(p.Missing, polar.ScopeCustomerSessionsWrite) {
				t.Errorf("status %d: granted %v missing %v", status, p.Granted, p.Missing)
			}
		}
		if len(ids) != 2 || ids[0] == ids[1] || !v4.MatchString(ids[0]) || !v4.MatchString(ids[1]) {
			t.Errorf("session probe customer ids %q: want two different v4 UUIDs", ids)
		}
	}
}

// OrganizationID names the token's organization with one request, two
// without organizations:read, and none of them writes.
func TestOrganizationIDIsCheap(t *testing.T) {
	const tok = "polar_oat_org_token_0123456789abcdef"
	for _, tt := range []struct {
		name   string
		scopes []string
		want   int // requests
	}{
		{"organizations:read", fakepolar.AllScopes(), 1},
		{"customers only", without("organizations:read", "organizations:write"), 2},
		{"products only", []string{"products:read"}, 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, fake := newDemo(t, fakepolar.Options{Tokens: map[string][]string{tok: tt.scopes}}, tok)
			org, err := c.OrganizationID(context.Background())
			if err != nil || org != fake.OrganizationID() {
				t.Fatalf("OrganizationID = %q, %v; want %q", org, err, fake.OrganizationID())
			}
			if n := fake.RequestCount(); n != tt.want {
				t.Errorf("%d requests, want %d", n, tt.want)
			}
			for _, r := range fake.Requests() {
				if r.Method != http.MethodGet {
					t.Errorf("sent %s %s", r.Method, r.Path)
				}
			}
		})
	}
}

// GET /v1/organizations/ failing for any reason (a proxy's 404, a
// persistent 5xx) does not leave the organization unknown: the customer
// list names it.
func TestOrganizationIDWhenTheOrganizationsCallFails(t *testing.T) {
	const tok = "polar_oat_org_token_0123456789abcdef"
	for _, status := range []int{http.StatusNotFound, http.StatusInternalServerError, http.StatusBadGateway} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			c, fake := newDemo(t, fakepolar.Options{Tokens: map[string][]string{tok: fakepolar.AllScopes()}}, tok)
			fake.InjectFault(fakepolar.Fault{Path: "/v1/organizations", Status: status})
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			org, err := c.OrganizationID(ctx)
			if err != nil || org != fake.OrganizationID() {
				t.Fatalf("OrganizationID = %q, %v; want %q from the customer list", org, err, fake.OrganizationID())
			}
		})
	}
}
