package tenants

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/polar-mcp/polar-mcp/internal/tenants/connections"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
)

// loadTimeout bounds reading one connection from the store.
const loadTimeout = 10 * time.Second

// RouterConfig configures NewRouter.
type RouterConfig struct {
	// Store holds the connections. Required.
	Store Store
	// NewAdapter builds a connection's adapter. Required.
	NewAdapter AdapterFunc
	// NewLimiter builds a connection's rate limiter. Required.
	NewLimiter LimiterFunc
	// NewCache wraps a connection's adapter in its cache. Required.
	NewCache func(polar.Client, connections.Connection) *cache.Client
	// Recheck is how long a connection's row is trusted before it is read
	// again. Zero reads it on every request (one primary-key lookup), so a
	// connection disabled or removed by another process is refused at
	// once.
	Recheck time.Duration
	// Logger receives connection lifecycle events, never secrets;
	// slog.Default() when nil.
	Logger *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Router routes hosted requests to their connection's Polar adapter: the
// per-connection endpoint calls Resolve once per request. It is safe for
// concurrent use.
type Router struct {
	cfg    RouterConfig
	log    *slog.Logger
	flight singleflight.Group

	mu          sync.RWMutex
	entries     map[string]*entry
	generations map[string]uint64 // bumped by Forget and Refresh: a load begun before must not keep its entry
}

// entry is one live connection.
type entry struct {
	conn     connections.Connection // the row as last read
	secret   []byte                 // the signing key for its caller tokens
	tokenSum [sha256.Size]byte      // identifies the token the adapter holds
	client   *cache.Client
	limiter  polar.RateLimiter
	checked  time.Time // when the row was last read
}

// NewRouter returns a Router for cfg.
func NewRouter(cfg RouterConfig) (*Router, error) {
	if cfg.Store == nil || cfg.NewAdapter == nil || cfg.NewLimiter == nil || cfg.NewCache == nil {
		return nil, errors.New("merchants: RouterConfig needs a Store, a NewAdapter, a NewLimiter and a NewCache")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	r := &Router{cfg: cfg, log: cfg.Logger, entries: map[string]*entry{}, generations: map[string]uint64{}}
	if r.log == nil {
		r.log = slog.Default()
	}
	return r, nil
}

// Resolve returns, once per request, what serving connection needs: the
// key that signs its caller tokens and its cached adapter, after making
// sure the connection still exists and is enabled (one primary-key read,
// unless Recheck allows a recent one). An unknown, removed or disabled
// connection is ErrUnknownConnection, and its adapter is dropped.
func (r *Router) Resolve(ctx context.Context, connection string) ([]byte, polar.Client, error) {
	e, err := r.current(ctx, connection)
	if errors.Is(err, connections.ErrNotFound) || errors.Is(err, connections.ErrDisabled) {
		return nil, nil, ErrUnknownConnection
	}
	if err != nil {
		return nil, nil, err
	}
	return e.secret, e.client, nil
}

// Forget drops a connection's adapter at once; the next request reads the
// connection again. Call it after disabling, removing or changing a
// connection in this process.
func (r *Router) Forget(id string) {
	r.mu.Lock()
	_, had := r.entries[id]
	delete(r.entries, id)
	r.generations[id]++
	r.mu.Unlock()
	r.flight.Forget(id)
	if had {
		r.log.Info("connection adapter dropped", slog.String("connection", id))
	}
}

// Refresh makes the next request read connection id again. Its adapter,
// cache and rate budget are kept when its token has not changed. Call it
// after rotating the connection's signing secret in this process.
func (r *Router) Refresh(id string) {
	r.mu.Lock()
	if e := r.entries[id]; e != nil {
		stale := *e
		stale.checked = time.Time{}
		stale.conn.UpdatedAt = time.Time{} // read the credentials again
		r.entries[id] = &stale
	}
	r.generations[id]++
	r.mu.Unlock()
	r.flight.Forget(id)
}

// Limiter returns the rate limiter of a live connection in env, or its
// organization's, so that probing a live connection spends from its own
// budget.
func (r *Router) Limiter(id string, env connections.Environment, org string, perMinute int) polar.RateLimiter {
	r.mu.RLock()
	e := r.entries[id]
	r.mu.RUnlock()
	if e != nil && e.conn.Environment == env && e.conn.Organization.ID == org {
		return e.limiter
	}
	return r.cfg.NewLimiter(env, org, perMinute)
}

// Live returns the ids of the connections with an adapter in memory.
func (r *Router) Live() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	ids := make([]string, 0, len(r.entries))
	for id := range r.entries {
		ids = append(ids, id)
	}
	return ids
}

// current returns the live entry of id, reading the connection again
// unless it was read within Recheck. Concurrent reads of one connection
// are made once.
func (r *Router) current(ctx context.Context, id string) (*entry, error) {
	r.mu.RLock()
	e := r.entries[id]
	r.mu.RUnlock()
	if e != nil && r.cfg.Recheck > 0 && r.cfg.Now().Sub(e.checked) < r.cfg.Recheck {
		return e, nil
	}
	ch := r.flight.DoChan(id, func() (any, error) {
		// The entry as of now: a load that just finished may have
		// stored one since.
		r.mu.RLock()
		old, gen := r.entries[id], r.generations[id]
		r.mu.RUnlock()
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), loadTimeout)
		defer cancel()
		return r.load(lctx, id, old, gen)
	})
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case res := <-ch:
		if res.Err != nil {
			return nil, res.Err
		}
		return res.Val.(*entry), nil
	}
}

// load reads connection id and returns its entry, reusing old's adapter
// when the token and environment are unchanged. A removed or disabled
// connection is dropped.
func (r *Router) load(ctx context.Context, id string, old *entry, gen uint64) (*entry, error) {
	c, err := r.cfg.Store.Get(ctx, id)
	if err == nil && c.Disabled() {
		err = fmt.Errorf("%w: %s", connections.ErrDisabled, id)
	}
	if old != nil && err == nil && c.UpdatedAt.Equal(old.conn.UpdatedAt) {
		e := *old
		e.checked = r.cfg.Now()
		return r.keep(id, &e, gen), nil
	}
	var creds connections.Credentials
	if err == nil {
		creds, err = r.cfg.Store.Credentials(ctx, id)
	}
	if errors.Is(err, connections.ErrNotFound) || errors.Is(err, connections.ErrDisabled) {
		r.drop(id, old, err)
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("connection %s: %w", id, err)
	}
	e := &entry{
		conn:     c,
		secret:   creds.SigningKey(),
		tokenSum: sha256.Sum256([]byte(creds.Token.Reveal())),
		checked:  r.cfg.Now(),
	}
	sameOrg := old != nil && old.conn.Environment == c.Environment && old.conn.Organization.ID == c.Organization.ID &&
		old.conn.RateLimit == c.RateLimit
	if sameOrg && old.tokenSum == e.tokenSum && old.conn.WebhookSecretSet == c.WebhookSecretSet {
		e.client, e.limiter = old.client, old.limiter
		return r.keep(id, e, gen), nil
	}
	if sameOrg {
		e.limiter = old.limiter // same organization and budget
	} else {
		e.limiter = r.cfg.NewLimiter(c.Environment, c.Organization.ID, c.RateLimit)
	}
	adapter, err := r.cfg.NewAdapter(c.Environment, creds.Token.Reveal(), e.limiter)
	if err != nil {
		return nil, fmt.Errorf("connection %s: build Polar adapter: %w", id, err)
	}
	e.client = r.cfg.NewCache(adapter, c)
	r.log.Info("connection adapter built", slog.String("connection", id),
		slog.String("environment", string(c.Environment)), slog.String("organization", c.Organization.ID))
	return r.keep(id, e, gen), nil
}

// keep makes e the live entry of id unless Forget or Refresh ran since the load
// began; e is returned either way, for the request that loaded it.
func (r *Router) keep(id string, e *entry, gen uint64) *entry {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.generations[id] == gen {
		r.entries[id] = e
	}
	return e
}

// drop forgets a connection found removed or disabled.
func (r *Router) drop(id string, old *entry, why error) {
	r.mu.Lock()
	_, had := r.entries[id]
	delete(r.entries, id)
	r.mu.Unlock()
	if had || old != nil {
		reason := "removed"
		if errors.Is(why, connections.ErrDisabled) {
			reason = "disabled"
		}
		r.log.Info("connection adapter dropped", slog.String("connection", id), slog.String("reason", reason))
	}
}
