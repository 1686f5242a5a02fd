package tools_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/fleet"
	"github.com/polar-mcp/polar-mcp/internal/webhooks"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
	"github.com/polar-mcp/polar-mcp/tools"
)

const hookSecret = "whsec_tools_writethrough_test"

func (c *requestCount) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, v := range c.n {
		n += v
	}
	return n
}

// hookedEnv serves the demo organization as the single merchant does with
// webhooks on: the fake sends its signed webhooks to webhooks.Handler,
// whose events the fleet applies to the cache (billing kept ten minutes).
func hookedEnv(t *testing.T) (*env, *requestCount) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	f, err := fleet.NewFleet(config.Config{}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	h, err := webhooks.NewHandler(webhooks.HandlerConfig{
		Endpoint: func(*http.Request) (webhooks.Endpoint, bool) { return webhooks.Endpoint{Secret: hookSecret}, true },
		Process:  f.Publish,
		Logger:   slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	go h.Run(ctx)
	go f.Run(ctx)
	hooks := httptest.NewServer(h)
	t.Cleanup(hooks.Close)
	fake, err := fakepolar.New(fakepolar.DemoFS(), fakepolar.Options{
		Tokens:  map[string][]string{testToken: fakepolar.AllScopes()},
		Webhook: fakepolar.Webhook{URL: hooks.URL + "/webhooks/polar", Secret: hookSecret},
	})
	if err != nil {
		t.Fatal(err)
	}
	api, rc := counted(t, fake)
	sdk, err := polar.New(polar.Config{AccessToken: testToken, ServerURL: api.URL, MaxRetryWait: -1, RequestsPerMinute: -1})
	if err != nil {
		t.Fatal(err)
	}
	cc := cache.New(sdk, cache.Config{BillingTTL: 10 * time.Minute, Invalidated: true, Fresh: func() bool { return true }})
	f.Register("", "", cc, true)
	deps := tools.Deps{Logger: slog.New(slog.DiscardHandler)}
	return &env{fake: fake, srv: tools.NewServer(deps, tools.Options{App: insightsApp()}), client: cc}, rc
}

// eventuallyTrue polls cond (each poll a tool call answered from the
// cache) until it holds, failing after 10 s.
func eventuallyTrue(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("never happened: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestWebhooksShowInAnswersWithoutAskingPolar: through an MCP client,
// alice's answers follow Polar's webhooks (an order refunded, her license
// key revoked, a cancellation) with no further request to Polar; after
// customer.updated her email lookup comes from the event, and her portal
// link is a new session.
func TestWebhooksShowInAnswersWithoutAskingPolar(t *testing.T) {
	e, rc := hookedEnv(t)
	alice := customer("alice@example.com")
	orders := func() []tools.OrderView {
		res := e.call(t, alice, tools.NameOrderHistory, nil)
		mustAnswer(t, res)
		var out tools.OrderHistoryOutput
		structured(t, res, &out)
		return out.Orders
	}
	benefits := func() tools.BenefitsOutput {
		res := e.call(t, alice, tools.NameBenefits, nil)
		mustAnswer(t, res)
		var out tools.BenefitsOutput
		structured(t, res, &out)
		return out
	}
	first := orders()
	if len(first) == 0 || first[0].Status != "paid" {
		t.Fatalf("alice's orders: %+v", first)
	}
	b := benefits()
	if !slices.ContainsFunc(b.Benefits, func(v tools.BenefitView) bool { return v.Type == "license_keys" }) {
		t.Fatalf("alice's benefits: %+v", b)
	}
	subs := statusOf(t, e, alice)
	if len(subs) == 0 || subs[0].Canceling {
		t.Fatalf("alice's subscriptions: %+v", subs)
	}
	portal1, _ := portalOf(t, e, alice)
	ctx := context.Background()
	cc := e.client.(*cache.Client)
	aliceID := mustCustomer(t, cc, "alice@example.com").ID
	ol, err := cc.ListOrders(ctx, polar.ByID(aliceID), 0)
	if err != nil {
		t.Fatal(err)
	}
	sl, err := cc.ListSubscriptions(ctx, polar.ByID(aliceID))
	if err != nil {
		t.Fatal(err)
	}
	asked, disputes := rc.total(), rc.get("GET /v1/disputes/")

	if _, err := e.fake.UpdateOrder(ol[0].ID, map[string]any{"status": "refunded", "refunded_amount": ol[0].TotalAmount - ol[0].TaxAmount}); err != nil {
		t.Fatal(err)
	}
	eventuallyTrue(t, "the refund in the order history", func() bool { return orders()[0].Status == "refunded" })

	if _, err := e.fake.UpdateBenefitGrant("b6000000-0001-4000-8001-000000000001", map[string]any{
		"is_granted": false, "is_revoked": true, "revoked_at": time.Now().UTC().Format(time.RFC3339)}); err != nil {
		t.Fatal(err)
	}
	// Wait for the revocation on the kept state, read from the cache, not
	// through the tool: a benefits answer begun before the event and
	// finished after it would look up the key the event dropped, one
	// request this test does not count on.
	eventuallyTrue(t, "the revoked grant off alice's kept state", func() bool {
		st, err := cc.CustomerState(ctx, polar.ByID(aliceID))
		return err == nil && !slices.ContainsFunc(st.GrantedBenefits, func(g polar.BenefitGrant) bool {
			return g.ID == "b6000000-0001-4000-8001-000000000001"
		})
	})
	eventuallyTrue(t, "the revoked license key among the inactive benefits", func() bool {
		b := benefits()
		return slices.ContainsFunc(b.Inactive, func(v tools.BenefitView) bool { return v.Type == "license_keys" && v.Status == "revoked" }) &&
			!slices.ContainsFunc(b.Benefits, func(v tools.BenefitView) bool { return v.Type == "license_keys" })
	})

	if _, err := e.fake.UpdateSubscription(sl[0].ID, map[string]any{"cancel_at_period_end": true}); err != nil {
		t.Fatal(err)
	}
	eventuallyTrue(t, "the cancellation in the subscription status", func() bool {
		s := statusOf(t, e, alice)
		return len(s) > 0 && s[0].Canceling
	})
	// The refund dropped the disputes of alice's orders (their side
	// request, which order.refunded may change): asked once again. Nothing
	// else reached Polar.
	if n := rc.get("GET /v1/disputes/") - disputes; n != 1 {
		t.Errorf("disputes after order.refunded asked %d times, want 1 (dropped, asked again)", n)
	}
	if n := rc.total() - asked - 1; n != 0 {
		t.Errorf("answers after the webhooks asked Polar %d more times: %v", n, rc.n)
	}

	// customer.updated: the lookup comes from the event; the portal
	// session kept for alice is not handed out again.
	lookups, sessions := rc.get("GET /v1/customers/"), rc.get(sessionsPath)
	if _, err := e.fake.UpdateCustomer(aliceID, map[string]any{"name": "Alice Example-Renamed"}); err != nil {
		t.Fatal(err)
	}
	eventuallyTrue(t, "a new portal session after customer.updated", func() bool {
		u, _ := portalOf(t, e, alice)
		return u != portal1
	})
	if n := rc.get(sessionsPath) - sessions; n != 1 {
		t.Errorf("portal links after customer.updated created %d sessions, want 1", n)
	}
	if n := rc.get("GET /v1/customers/") - lookups; n != 0 {
		t.Errorf("the lookup after customer.updated asked Polar %d times, want 0 (written through)", n)
	}
}
