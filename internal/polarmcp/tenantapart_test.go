package polarmcp

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/fleet"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/internal/webhooks"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
)

// tenantCaches is a fleet on Redis with two caches over the fake: the
// single merchant's, whose organization is not known, and connection
// conn_b's, of organization org_b; both keep billing for an hour.
type tenantCaches struct {
	fake       *fakepolar.Server
	fleet      *fleet.Fleet
	redisURL   string
	root, conn *cache.Client
}

func newTenantCaches(t *testing.T) tenantCaches {
	t.Helper()
	fake, ts := demoAPI(t)
	cfg := config.Config{RedisURL: testRedis(t), BillingCacheTTL: time.Hour, WebhookSecret: testWebhookSecret}
	f, err := fleet.NewFleet(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() { cancel(); _ = f.Close() })
	go f.Run(ctx)
	a := fleet.NewAdapters(cfg, slog.New(slog.DiscardHandler), nil).WithFleet(f)
	newCache := func(fresh func() bool) *cache.Client {
		sdk, err := polar.New(polar.Config{AccessToken: fakepolar.DemoToken, ServerURL: ts.URL, Environment: "production"})
		if err != nil {
			t.Fatal(err)
		}
		return a.Cache(sdk, true, fresh)
	}
	tc := tenantCaches{fake: fake, fleet: f, redisURL: cfg.RedisURL}
	tc.root = newCache(func() bool { return true })
	tc.conn = newCache(func() bool { return true })
	f.Register("", "", tc.root, true)
	f.Register("org_b", "conn_b", tc.conn, true)
	time.Sleep(100 * time.Millisecond) // the bus subscription is in place
	return tc
}

// asks reports whether c asked Polar for Alice's subscriptions (its kept
// answer was dropped).
func (tc tenantCaches) asks(t *testing.T, c *cache.Client) bool {
	t.Helper()
	before := tc.fake.RequestCount()
	if _, err := c.ListSubscriptions(context.Background(), polar.ByID(aliceID)); err != nil {
		t.Fatal(err)
	}
	return tc.fake.RequestCount() > before
}

// A delivery to the single merchant's endpoint, while its organization is
// unknown, drops the merchant's own kept answers, whatever organization
// its payload names, and never another tenant's; an invalidation naming
// no organization reaches no cache.
func TestInvalidationsReachTheirOwnTenantOnly(t *testing.T) {
	tc := newTenantCaches(t)
	tc.asks(t, tc.root)
	tc.asks(t, tc.conn)
	if tc.asks(t, tc.root) || tc.asks(t, tc.conn) {
		t.Fatal("billing answers are not kept")
	}

	// Signed with the single merchant's secret, naming org_b in its data.
	tc.fleet.Publish(context.Background(), webhooks.Event{Type: "subscription.updated",
		Data: []byte(`{"id":"s1","customer_id":"` + aliceID + `","organization_id":"org_b"}`)})
	eventually(t, "the merchant's own answer is dropped", func() bool { return tc.asks(t, tc.root) })
	if tc.asks(t, tc.conn) {
		t.Error("the single merchant's webhook dropped another connection's cached answers")
	}

	// An invalidation with an empty organization applies to none.
	// Sent by another instance on the fleet's bus.
	rdb := testkit.RedisAt(t, tc.redisURL)
	if err := fleet.NewRedisBus(rdb, "").Publish(context.Background(), fleet.Invalidation{Kind: fleet.KindBilling, CustomerID: aliceID}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if tc.asks(t, tc.conn) || tc.asks(t, tc.root) {
		t.Error("an invalidation naming no organization dropped cached answers")
	}
}
