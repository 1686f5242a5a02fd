package polarmcp

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/fleet"
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
	opt, err := redis.ParseURL(tc.redisURL)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	if err := fleet.NewRedisBus(rdb, "").Publish(context.Background(), fleet.Invalidation{Kind: fleet.KindBilling, CustomerID: aliceID}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if tc.asks(t, tc.conn) || tc.asks(t, tc.root) {
		t.Error("an invalidation naming no organization dropped cached answers")
	}
}

// Until the single merchant's organization is known, three replicas with
// the same token still share one budget (keyed by a digest of the token,
// which is in no Redis key): 30 calls send exactly the budget, and the
// rest are refused without a request.
func TestReplicasShareTheTokenBudgetBeforeTheOrganizationIsKnown(t *testing.T) {
	redisURL := testRedis(t)
	fake, ts := demoAPI(t)
	const perMinute = 12
	cfg := config.Config{ServerURL: ts.URL, RateLimit: perMinute, RateHeadroom: -1, RedisURL: redisURL,
		AccessToken: fakepolar.DemoToken, Environment: config.Production} // POLAR_MCP_EXPECTED_INSTANCES left at 1
	var clients []polar.Client
	for range 3 {
		f, err := fleet.NewFleet(cfg, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = f.Close() })
		m, err := fleet.NewAdapters(cfg, slog.New(slog.DiscardHandler), nil).WithFleet(f).Merchant()
		if err != nil {
			t.Fatal(err)
		}
		if m.Org() != "" {
			t.Fatal("the organization is known before it is learned")
		}
		clients = append(clients, m.SDK())
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	refused := 0
	for _, c := range clients {
		for range 10 {
			wg.Go(func() {
				_, err := c.ListProducts(context.Background())
				if errors.Is(err, polar.ErrBudgetSpent) {
					mu.Lock()
					refused++
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	if n := fake.RequestCount(); n != perMinute {
		t.Fatalf("30 calls from 3 replicas whose organization is unknown sent %d requests within a minute; the budget is %d", n, perMinute)
	}
	if refused != 30-perMinute {
		t.Errorf("%d calls refused without sending, want %d", refused, 30-perMinute)
	}
	keys, err := redisKeys(t, redisURL)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if strings.Contains(k, fakepolar.DemoToken) {
			t.Errorf("the token is in a Redis key: %s", k)
		}
	}
}

// redisKeys lists the keys of the test's Redis database.
func redisKeys(t *testing.T, redisURL string) ([]string, error) {
	opt, err := redis.ParseURL(redisURL)
	if err != nil {
		return nil, err
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	return rdb.Keys(t.Context(), "*").Result()
}
