package polar_test

import (
	"context"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/polar"
)

// Demo customer ids (polar/fakepolar/fixtures/demo/README.md).
const (
	demoCarol = "c1000000-0001-4000-8003-000000000003"
	demoTeam  = "c1000000-0001-4000-8004-000000000004"
	demoDave  = "c1000000-0001-4000-8005-000000000005"
)

// newDemo serves the demo organization on the fake Polar API and returns a
// client using token.
func newDemo(t *testing.T, opts fakepolar.Options, token string) (*polar.SDKClient, *fakepolar.Server) {
	t.Helper()
	fake, err := fakepolar.New(fakepolar.DemoFS(), opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	c, err := polar.New(polar.Config{AccessToken: token, ServerURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	return c, fake
}

// TestAgainstFakePolar runs every method against the fake Polar API
// serving the demo organization.
func TestAgainstFakePolar(t *testing.T) {
	ctx := context.Background()
	c, fake := newDemo(t, fakepolar.Options{}, fakepolar.DemoToken)

	frank, err := c.FindCustomerByEmail(ctx, "frank.miller@example.com")
	if err != nil || frank.Email != "Frank.Miller@Example.com" {
		t.Fatalf("mixed-case stored email: %+v, %v", frank, err)
	}

	subs, err := c.ListSubscriptions(ctx, polar.ByID(demoCarol))
	if err != nil || !slices.Contains(pluck(subs, func(s polar.Subscription) string { return s.Status }), "paused") {
		t.Errorf("carol's subscriptions: %+v, %v", subs, err)
	}

	orders, err := c.ListOrders(ctx, polar.ByID(demoDave), 20)
	if err != nil {
		t.Fatal(err)
	}
	got := pluck(orders, func(o polar.Order) string { return o.Status + "/" + o.BillingReason })
	for _, want := range []string{"draft", "void"} {
		if !slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, want+"/") }) {
			t.Errorf("dave's orders %v lack status %s", got, want)
		}
	}
	if !slices.ContainsFunc(orders, func(o polar.Order) bool { return o.BillingReason == "subscription_meter_cycle" }) {
		t.Errorf("dave's orders %v lack a metered cycle", got)
	}
	if !slices.IsSortedFunc(orders, func(a, b polar.Order) int { return b.CreatedAt.Compare(a.CreatedAt) }) {
		t.Errorf("orders are not newest first")
	}

	state, err := c.CustomerState(ctx, polar.ByID(demoTeam))
	if err != nil {
		t.Fatal(err)
	}
	if len(state.ActiveSubscriptions) != 1 || state.ActiveSubscriptions[0].Status != "trialing" {
		t.Errorf("team state subscriptions: %+v", state.ActiveSubscriptions)
	}
	grants := pluck(state.GrantedBenefits, func(g polar.BenefitGrant) string { return g.BenefitType })
	for _, want := range []string{"feature_flag", "slack_shared_channel"} {
		if !slices.Contains(grants, want) {
			t.Errorf("team grants %v lack %s", grants, want)
		}
	}

	products, err := c.ListProducts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	names := pluck(products, func(p polar.Product) string { return p.Name })
	if slices.Contains(names, "Starter (legacy)") || slices.Contains(names, "Enterprise Onboarding") {
		t.Errorf("products %v include archived or private ones", names)
	}
	if !slices.Contains(names, "Team") {
		t.Errorf("products %v lack the seat-based Team", names)
	}

	benefits, err := c.ListBenefits(ctx)
	if err != nil || len(benefits) != 8 {
		t.Errorf("got %d benefits (%v), want all 8 types", len(benefits), err)
	}

	// A team customer's session needs a member (TestMembersAgainstFakePolar).
	session, err := c.CreateCustomerSession(ctx, polar.ByID(demoCarol))
	if err != nil || session.CustomerPortalURL == "" || session.CustomerID != demoCarol {
		t.Errorf("session %+v, %v", session, err)
	}

	for _, r := range fake.Requests() {
		if r.PolarVersion != config.DefaultAPIVersion || !r.Authorized {
			t.Errorf("%s %s: Polar-Version %q, authorized %v", r.Method, r.Path, r.PolarVersion, r.Authorized)
		}
	}
}

func TestFakePolarRefusals(t *testing.T) {
	ctx := context.Background()
	readOnly := "polar_oat_demo_read_only_token_0123456789"
	c, _ := newDemo(t, fakepolar.Options{Tokens: map[string][]string{
		readOnly: {"customers:read", "subscriptions:read", "orders:read", "products:read", "benefits:read"},
	}}, readOnly)

	_, err := c.CreateCustomerSession(ctx, polar.ByID(demoTeam))
	if pe, ok := polar.AsError(err); !ok || pe.Kind != polar.KindInsufficientScope || pe.Scope != "customer_sessions:write" {
		t.Errorf("session without the scope: %v", err)
	}
	_, err = c.CustomerState(ctx, polar.ByID("c1000000-0000-4000-8000-000000000000"))
	if pe, ok := polar.AsError(err); !ok || pe.Kind != polar.KindNotFound {
		t.Errorf("unknown customer: %v", err)
	}

	wrong, _ := newDemo(t, fakepolar.Options{}, "polar_oat_not_a_token_the_fake_knows")
	_, err = wrong.ListProducts(ctx)
	if pe, ok := polar.AsError(err); !ok || pe.Kind != polar.KindUnauthorized {
		t.Errorf("unknown token: %v", err)
	}

	limited, _ := newDemo(t, fakepolar.Options{RateLimit: 1}, fakepolar.DemoToken)
	if _, err := limited.ListBenefits(ctx); err != nil {
		t.Fatal(err)
	}
	_, err = limited.ListBenefits(ctx)
	if pe, ok := polar.AsError(err); !ok || pe.Kind != polar.KindRateLimited || pe.RetryAfter < time.Second {
		t.Errorf("over the rate limit: %v", err)
	}
}
