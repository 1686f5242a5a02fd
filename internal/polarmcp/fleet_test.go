package polarmcp

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/tools"
)

const testWebhookSecret = "polar_whs_test_3f8a9c0d1e2b4a5f6e7d8c9b"

// testRedis is a Redis database of this test's own
// (testkit.RedisDatabase).
func testRedis(t *testing.T) string { return testkit.RedisDatabase(t) }

// demoAPI serves the demo organization from a fake Polar until the test
// ends (testkit.DemoPolar).
func demoAPI(t *testing.T) (*fakepolar.Server, *httptest.Server) { return testkit.DemoPolar(t) }

// instance is one polar-mcp server of a fleet: its endpoint, served.
type instance struct {
	e   *Endpoint
	url string
}

// newInstance starts an endpoint for the single merchant of fake (at
// fakeURL) on redis, with webhooks, and runs it until the test ends.
func newInstance(t *testing.T, fakeURL, redis string, mutate func(*config.Config)) *instance {
	t.Helper()
	cfg := config.Config{
		AccessToken: fakepolar.DemoToken, ServerURL: fakeURL, Environment: config.Production,
		TokenSecret: strings.Repeat("k", 48), BaseURL: "http://127.0.0.1:1", Listen: "127.0.0.1:0",
		RedisURL: redis, WebhookSecret: testWebhookSecret, BillingCacheTTL: time.Hour,
	}
	if mutate != nil {
		mutate(&cfg)
	}
	if err := cfg.ValidateServer(); err != nil {
		t.Fatal(err)
	}
	e, err := NewEndpoint(t.Context(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go e.Run(ctx)
	srv := httptest.NewServer(e)
	t.Cleanup(func() { srv.Close(); cancel(); _ = e.Close() })
	return &instance{e: e, url: srv.URL}
}

// webhookedPair is two instances on one Redis database for the single
// merchant of a fake Polar that sends its webhooks to the first, once
// both have learned the organization.
func webhookedPair(t *testing.T) (fake *fakepolar.Server, a, b *instance) {
	t.Helper()
	redis := testRedis(t)
	hook := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { a.e.ServeHTTP(w, r) })
	hookSrv := httptest.NewServer(hook)
	t.Cleanup(hookSrv.Close)
	fake, err := fakepolar.Demo(fakepolar.Options{Webhook: fakepolar.Webhook{URL: hookSrv.URL + WebhookPath, Secret: testWebhookSecret}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(fake)
	t.Cleanup(ts.Close)
	a = newInstance(t, ts.URL, redis, nil)
	b = newInstance(t, ts.URL, redis, nil)
	eventually(t, "both instances learn the organization", func() bool {
		return a.e.merchant.Org() != "" && b.e.merchant.Org() != ""
	})
	return fake, a, b
}

// eventually polls cond until it holds, failing the test after a while.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A customer's email moves in Polar; Polar's webhook reaches one
// instance, and another instance's next answer is fresh. Billing answers
// are then kept up to the configured hour, while webhooks arrive.
func TestWebhookAtOneInstanceInvalidatesAnother(t *testing.T) {
	fake, _, b := webhookedPair(t)
	ctx := context.Background()
	m := b.e.merchant
	alice, err := m.FindCustomerByEmail(ctx, "alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.FindCustomerByEmail(ctx, "alice.new@example.com"); !errors.Is(err, polar.ErrCustomerNotFound) {
		t.Fatalf("the new address before the move: %v", err)
	}
	if _, err := fake.UpdateCustomer(alice.ID, map[string]any{"email": "alice.new@example.com"}); err != nil {
		t.Fatal(err)
	}
	// The update sends customer.updated and customer.state_changed.
	if _, err := fake.WaitWebhookDeliveries(ctx, 2); err != nil {
		t.Fatal(err)
	}
	// The new address is found at once ("no customer" is not kept at an
	// instance no webhook has reached); the old one once the
	// invalidation has come through Redis.
	eventually(t, "the other instance answers from Polar's new data", func() bool {
		c, err := m.FindCustomerByEmail(ctx, "alice.new@example.com")
		if err != nil || c.ID != alice.ID {
			return false
		}
		_, err = m.FindCustomerByEmail(ctx, "alice@example.com")
		return errors.Is(err, polar.ErrCustomerNotFound)
	})

	// Webhooks arrive: billing answers are kept (an hour), until a
	// subscription change drops them.
	// The second event's invalidation reaches b through Redis a moment
	// after its delivery to a, so a read may still drop the entry once.
	ref := polar.ByID(alice.ID)
	eventually(t, "a repeated billing read is answered from the cache", func() bool {
		if _, err := m.ListSubscriptions(ctx, ref); err != nil {
			t.Fatal(err)
		}
		before := fake.RequestCount()
		if _, err := m.ListSubscriptions(ctx, ref); err != nil {
			t.Fatal(err)
		}
		return fake.RequestCount() == before
	})
	subs, _ := m.ListSubscriptions(ctx, ref)
	if len(subs) == 0 {
		t.Skip("the demo customer has no subscription to change")
	}
	if _, err := fake.UpdateSubscription(subs[0].ID, map[string]any{"cancel_at_period_end": !subs[0].CancelAtPeriodEnd}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the subscription change shows at the other instance", func() bool {
		got, err := m.ListSubscriptions(ctx, ref)
		return err == nil && len(got) > 0 && got[0].CancelAtPeriodEnd != subs[0].CancelAtPeriodEnd
	})
}

// One customer calling through two instances has one call allowance, not
// one per instance: the bucket lives in Redis.
func TestCallLimitIsSharedByTheFleet(t *testing.T) {
	redis := testRedis(t)
	_, ts := demoAPI(t)
	limit := func(c *config.Config) { c.CallsPerMinute, c.CallBurst = 1, 3 }
	a, b := newInstance(t, ts.URL, redis, limit), newInstance(t, ts.URL, redis, limit)
	secret := strings.Repeat("k", 48)
	alice := identity.Claims{Role: caller.Customer, Email: "alice@example.com", EmailVerified: true}
	for i, in := range []*instance{a, b, a} {
		if res := callSigned(t, in.url, secret, alice, tools.NameSubscriptionStatus, nil); res.IsError {
			t.Fatalf("call %d of a burst of 3: %s", i+1, testkit.Text(res))
		}
	}
	for name, in := range map[string]*instance{"a": a, "b": b} {
		res := callSigned(t, in.url, secret, alice, tools.NameSubscriptionStatus, nil)
		if !res.IsError || !strings.Contains(testkit.Text(res), "too quickly") {
			t.Errorf("a fourth call at instance %s: %q, want the call limit's refusal", name, testkit.Text(res))
		}
	}
	bob := identity.Claims{Role: caller.Customer, Email: "bob@example.com", EmailVerified: true}
	if res := callSigned(t, b.url, secret, bob, tools.NameSubscriptionStatus, nil); res.IsError {
		t.Errorf("another customer was refused: %s", testkit.Text(res))
	}
}
