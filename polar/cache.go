package polar

// Caching and coalescing
//
// CachedClient sits in front of one organization's Client. What it keeps,
// and for how long, follows how fast each answer can change:
//
//   - email -> customer: a day. Customer ids never change; a 404 for the
//     id from any later call drops every entry about that customer. "No
//     such customer" is kept briefly, so a new sign-up shows up soon.
//   - products and benefits (their names): a minute.
//   - subscriptions, orders and customer state: not kept by default, and
//     never more than MaxBillingTTL, so a customer who just changed their
//     plan in the portal never sees the old one.
//   - customer portal sessions: never kept nor shared; each call is new.
//
// Errors are never kept. Identical reads in flight at the same time are
// made once (singleflight), whether or not their answer is kept; each
// caller still returns as soon as its own context is done.
//
// Answers are shared between callers: the returned slices are copies, but
// what their elements point to must be treated as read-only.

import (
	"context"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/polar-mcp/polar-mcp/caller"
)

// CacheConfig defaults and limits.
const (
	DefaultCustomerTTL = 24 * time.Hour
	DefaultNotFoundTTL = 30 * time.Second
	DefaultCatalogTTL  = time.Minute
	// MaxBillingTTL caps CacheConfig.BillingTTL.
	MaxBillingTTL      = 5 * time.Second
	DefaultCacheBytes  = 8 << 20
	DefaultCallTimeout = 30 * time.Second
)

// CacheConfig configures NewCached. For each TTL, zero means its default
// and a negative value disables that cache.
type CacheConfig struct {
	// CustomerTTL keeps email -> customer answers.
	CustomerTTL time.Duration
	// NotFoundTTL keeps "no customer has this email" answers.
	NotFoundTTL time.Duration
	// CatalogTTL keeps the product list and the benefit list.
	CatalogTTL time.Duration
	// BillingTTL keeps subscriptions, orders and customer state. Its
	// default is 0 (identical calls in flight are still coalesced) and
	// it is capped at MaxBillingTTL.
	BillingTTL time.Duration
	// MaxBytes bounds the cache's estimated memory. Zero means
	// DefaultCacheBytes; negative disables caching (coalescing remains).
	MaxBytes int64
	// CallTimeout bounds a coalesced upstream call, which outlives the
	// caller that started it. Zero means DefaultCallTimeout.
	CallTimeout time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// CachedClient is a Client that caches and coalesces the reads of another
// Client, for one Polar organization. It is safe for concurrent use.
type CachedClient struct {
	inner       Client
	customerTTL time.Duration
	notFoundTTL time.Duration
	catalogTTL  time.Duration
	billingTTL  time.Duration
	callTimeout time.Duration
	now         func() time.Time
	store       *lru // nil: nothing is kept

	group singleflight.Group
	gen   atomic.Uint64 // bumped by every forget

	hits      atomic.Uint64
	misses    atomic.Uint64
	coalesced atomic.Uint64
}

var (
	_ Client      = (*CachedClient)(nil)
	_ Invalidator = (*CachedClient)(nil)
)

// NewCached returns a CachedClient in front of inner. Build one per
// organization, and keep it as long as the organization is served.
func NewCached(inner Client, cfg CacheConfig) *CachedClient {
	c := &CachedClient{
		inner:       inner,
		customerTTL: ttlOr(cfg.CustomerTTL, DefaultCustomerTTL),
		notFoundTTL: ttlOr(cfg.NotFoundTTL, DefaultNotFoundTTL),
		catalogTTL:  ttlOr(cfg.CatalogTTL, DefaultCatalogTTL),
		billingTTL:  min(max(cfg.BillingTTL, 0), MaxBillingTTL),
		callTimeout: cfg.CallTimeout,
		now:         cfg.Now,
	}
	if c.callTimeout <= 0 {
		c.callTimeout = DefaultCallTimeout
	}
	if c.now == nil {
		c.now = time.Now
	}
	switch {
	case cfg.MaxBytes == 0:
		c.store = newLRU(DefaultCacheBytes)
	case cfg.MaxBytes > 0:
		c.store = newLRU(cfg.MaxBytes)
	}
	return c
}

func ttlOr(d, def time.Duration) time.Duration {
	switch {
	case d == 0:
		return def
	case d < 0:
		return 0
	default:
		return d
	}
}

// FindCustomerByEmail implements Client.
func (c *CachedClient) FindCustomerByEmail(ctx context.Context, email string) (*Customer, error) {
	email = caller.NormalizeEmail(email)
	return c.findCustomer(ctx, read[*Customer]{
		key:     "customer\x00" + email,
		op:      "customers:list",
		ttl:     c.customerTTL,
		negTTL:  c.notFoundTTL,
		ownerOf: func(v *Customer) string { return v.ID },
		call: func(ctx context.Context) (*Customer, error) {
			return c.inner.FindCustomerByEmail(ctx, email)
		},
	})
}

// FindCustomerByExternalID implements Client.
func (c *CachedClient) FindCustomerByExternalID(ctx context.Context, ext string) (*Customer, error) {
	return c.findCustomer(ctx, read[*Customer]{
		key:    "customer-ext\x00" + ext,
		op:     "customers:get_external",
		ttl:    c.customerTTL,
		negTTL: c.notFoundTTL,
		owner:  externalOwner(ext),
		call: func(ctx context.Context) (*Customer, error) {
			return c.inner.FindCustomerByExternalID(ctx, ext)
		},
	})
}

func (c *CachedClient) findCustomer(ctx context.Context, r read[*Customer]) (*Customer, error) {
	v, err := load(ctx, c, r)
	if err != nil || v == nil {
		return nil, err
	}
	cp := *v
	return &cp, nil
}

// ListSubscriptions implements Client.
func (c *CachedClient) ListSubscriptions(ctx context.Context, ref CustomerRef) ([]Subscription, error) {
	v, err := load(ctx, c, read[[]Subscription]{
		key:   "subscriptions\x00" + ref.key(),
		op:    "subscriptions:list",
		ttl:   c.billingTTL,
		owner: ref.owner(),
		call: func(ctx context.Context) ([]Subscription, error) {
			return c.inner.ListSubscriptions(ctx, ref)
		},
	})
	return slices.Clone(v), err
}

// ListOrders implements Client. The limit is normalized as SDKClient does
// (10 when not positive, at most 100) before calls are coalesced.
func (c *CachedClient) ListOrders(ctx context.Context, ref CustomerRef, limit int) ([]Order, error) {
	if limit <= 0 {
		limit = defaultOrders
	}
	limit = min(limit, pageSize)
	v, err := load(ctx, c, read[[]Order]{
		key:   "orders\x00" + ref.key() + "\x00" + strconv.Itoa(limit),
		op:    "orders:list",
		ttl:   c.billingTTL,
		owner: ref.owner(),
		call: func(ctx context.Context) ([]Order, error) {
			return c.inner.ListOrders(ctx, ref, limit)
		},
	})
	return slices.Clone(v), err
}

// CustomerState implements Client.
func (c *CachedClient) CustomerState(ctx context.Context, ref CustomerRef) (*CustomerState, error) {
	v, err := load(ctx, c, read[*CustomerState]{
		key:   "state\x00" + ref.key(),
		op:    "customers:get_state",
		ttl:   c.billingTTL,
		owner: ref.owner(),
		call: func(ctx context.Context) (*CustomerState, error) {
			return c.inner.CustomerState(ctx, ref)
		},
	})
	if err != nil || v == nil {
		return nil, err
	}
	cp := *v
	cp.ActiveSubscriptions = slices.Clone(v.ActiveSubscriptions)
	cp.GrantedBenefits = slices.Clone(v.GrantedBenefits)
	return &cp, nil
}

// ListProducts implements Client.
func (c *CachedClient) ListProducts(ctx context.Context) ([]Product, error) {
	v, err := load(ctx, c, read[[]Product]{
		key:  "products",
		op:   "products:list",
		ttl:  c.catalogTTL,
		call: c.inner.ListProducts,
	})
	return slices.Clone(v), err
}

// ListBenefits implements Client.
func (c *CachedClient) ListBenefits(ctx context.Context) ([]Benefit, error) {
	v, err := load(ctx, c, read[[]Benefit]{
		key:  "benefits",
		op:   "benefits:list",
		ttl:  c.catalogTTL,
		call: c.inner.ListBenefits,
	})
	return slices.Clone(v), err
}

// CreateCustomerSession implements Client. It is never cached nor
// coalesced: every call creates a new session.
func (c *CachedClient) CreateCustomerSession(ctx context.Context, ref CustomerRef) (*CustomerSession, error) {
	s, err := c.inner.CreateCustomerSession(ctx, ref)
	if isNotFound(err) {
		c.forget(ref.owner())
	}
	return s, err
}

// ForgetCustomer implements Invalidator.
func (c *CachedClient) ForgetCustomer(customerID string) { c.forget(customerID) }

// ForgetExternalID implements Invalidator.
func (c *CachedClient) ForgetExternalID(ext string) { c.forget(externalOwner(ext)) }

// ForgetCatalog implements Invalidator.
func (c *CachedClient) ForgetCatalog() {
	c.gen.Add(1)
	if c.store != nil {
		c.store.remove("products")
		c.store.remove("benefits")
	}
}

// Stats returns the cache's counters, added to the inner client's when it
// has a Stats method (as SDKClient does).
func (c *CachedClient) Stats() Stats {
	var s Stats
	if in, ok := c.inner.(interface{ Stats() Stats }); ok {
		s = in.Stats()
	}
	s.CacheHits += c.hits.Load()
	s.CacheMisses += c.misses.Load()
	s.Coalesced += c.coalesced.Load()
	if c.store != nil {
		n, b := c.store.usage()
		s.CacheEntries += n
		s.CacheBytes += b
	}
	return s
}
