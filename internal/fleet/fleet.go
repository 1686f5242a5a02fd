package fleet

import (
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/webhooks"
	"github.com/polar-mcp/polar-mcp/polar/cache"
)

// WebhooksStaleAfter is how long an organization's webhooks are trusted
// after the last delivery: past it, with no delivery since, its billing
// answers are kept at most config.MaxBillingTTL (5 s) again, until the next
// delivery arrives.
const WebhooksStaleAfter = 10 * time.Minute

// budgetWindow is the window the shared budget counts over: Polar's
// minute plus sendSlack, the time a request may take between its slot and
// its arrival at Polar (sleeping to the slot, the round trip on a loaded
// machine). No 60 s window of arrivals then holds more than the budget,
// where slots booked exactly 60 s apart let a few more through
// (docs/BENCHMARKS.md, "Many instances, one budget").
const budgetWindow = time.Minute + sendSlack

// sendSlack bounds the delay between a request's slot and its arrival.
const sendSlack = 2 * time.Second

// Fleet is what the instances of one deployment share: with
// POLAR_MCP_REDIS_URL, each organization's rate budget and 429 pauses, the
// webhook deliveries already processed, and the invalidations webhooks
// cause; without it, the same within this process. It also keeps which
// caches serve which organization, so an invalidation reaches them all.
type Fleet struct {
	rdb    *redis.Client // nil: in process only
	budget *RedisBudget  // nil: in process only
	bus    Bus
	dedupe webhooks.Deduper
	log    *slog.Logger
	now    func() time.Time

	mu      sync.Mutex
	limits  orgLimits
	caches  map[string]map[*cache.Client]string // organization -> its caches -> connection ("" root)
	orgOf   map[string]string                   // connection ("" root) -> organization
	secrets map[string]bool                     // organizations with a webhook secret
	last    map[string]time.Time                // organization -> last delivery seen
	subs    map[*subscription]struct{}
}

// NewFleet connects to cfg.RedisURL when set. Redis need not answer yet:
// the budget falls back to its local share and reconnects on its own.
func NewFleet(cfg config.Config, log *slog.Logger) (*Fleet, error) {
	f := &Fleet{log: log, now: time.Now, caches: map[string]map[*cache.Client]string{},
		orgOf: map[string]string{}, secrets: map[string]bool{}, last: map[string]time.Time{}, subs: map[*subscription]struct{}{}}
	if cfg.RedisURL == "" {
		f.bus, f.dedupe = NewLocalBus(), webhooks.NewMemoryDedupe(0, nil)
		return f, nil
	}
	opt, err := redis.ParseURL(cfg.RedisURL)
	if err != nil {
		return nil, fmt.Errorf("%w: POLAR_MCP_REDIS_URL is not a Redis URL", config.ErrInvalid) // never quote it: it may hold a password
	}
	opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout = time.Second, time.Second, time.Second
	f.rdb = redis.NewClient(opt)
	f.budget, err = NewRedisBudget(f.rdb, RedisConfig{
		Limits:            Limits{PerWindow: 1, For: f.limits.limit, Window: budgetWindow},
		ExpectedInstances: max(cfg.ExpectedInstances, 1),
		Logger:            log,
	})
	if err != nil {
		_ = f.rdb.Close()
		return nil, err
	}
	f.bus = NewRedisBus(f.rdb, "")
	f.dedupe = webhooks.NewRedisDedupe(f.rdb, "")
	return f, nil
}

// Calls is the per-caller tool-call budget of the hosted endpoint: one
// bucket per caller for the whole fleet through Redis, local (this
// process's own) while Redis is away or not configured.
func (f *Fleet) Calls(perMinute, burst int, local Taker) Taker {
	if f.rdb == nil {
		return local
	}
	return NewRedisCalls(f.rdb, perMinute, burst, local, f.log)
}

// Relay carries a hosted handler's legacy-SSE message POSTs to the
// instance holding their stream, through Redis; nil without it (one
// instance, or sticky sessions).
func (f *Fleet) Relay(log *slog.Logger) *RedisRelay {
	if f.rdb == nil {
		return nil
	}
	return NewRedisRelay(f.rdb, log)
}

// Dedupe is where webhook deliveries already processed are remembered:
// Redis for the whole fleet, or this process.
func (f *Fleet) Dedupe() webhooks.Deduper { return f.dedupe }

// Shared reports whether the fleet goes through Redis.
func (f *Fleet) Shared() bool { return f.rdb != nil }

// Degraded reports whether Redis is configured but not answering.
func (f *Fleet) Degraded() bool { return f.budget != nil && f.budget.Degraded() }

// Close closes the Redis client.
func (f *Fleet) Close() error {
	if f.rdb == nil {
		return nil
	}
	return f.rdb.Close()
}

// Register makes invalidations of org reach c, the cache of connection
// ("" for the single merchant), and with Redis gives c the organization's
// shared tier (email lookups and the catalog, asked of Polar once for
// every instance); webhookSecret says org's webhooks are verified. A cache registered again for the same connection replaces
// the one before.
func (f *Fleet) Register(org, connection string, c *cache.Client, webhookSecret bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, m := range f.caches {
		for old, conn := range m {
			if conn == connection && old != c {
				delete(m, old)
			}
		}
	}
	if f.caches[org] == nil {
		f.caches[org] = map[*cache.Client]string{}
	}
	f.caches[org][c] = connection
	f.orgOf[connection] = org
	if webhookSecret {
		f.secrets[org] = true
	}
	if f.rdb != nil && org != "" {
		c.SetShared(NewRedisShared(f.rdb, org))
	}
}

// Fresh reports whether webhooks of org are known to arrive now, and
// their invalidations to reach every instance: not while Redis is
// configured but not answering (an invalidation another instance
// received cannot reach this one), when billing answers are kept at most
// the short cap again.
func (f *Fleet) Fresh(org string) bool {
	if f.Degraded() {
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	last, ok := f.last[org]
	return ok && org != "" && f.now().Sub(last) < WebhooksStaleAfter
}

// LastWebhook returns when a delivery for org was last seen by any
// instance (through the bus).
func (f *Fleet) LastWebhook(org string) (time.Time, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.last[org]
	return t, ok
}

// ServedOrg is one cache the fleet reaches: its connection ("" the single
// merchant), its organization, and whether its webhooks are verified.
type ServedOrg struct {
	Connection, Org string
	Secret          bool
}

// Served lists the connections ("" the single merchant) whose caches the
// fleet reaches, with their organization.
func (f *Fleet) Served() []ServedOrg {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]ServedOrg, 0, len(f.orgOf))
	for conn, org := range f.orgOf {
		out = append(out, ServedOrg{Connection: conn, Org: org, Secret: f.secrets[org]})
	}
	slices.SortFunc(out, func(a, b ServedOrg) int { return strings.Compare(a.Connection, b.Connection) })
	return out
}
