// Package cache is a polar.Client decorator that caches and coalesces the
// reads of another polar.Client, for one Polar organization.
//
// A Client sits in front of one organization's polar.Client. What it keeps,
// and for how long, follows how fast each answer can change:
//
//   - email -> customer: a day. Customer ids never change; a 404 for the
//     id from any later call drops every entry about that customer. "No
//     such customer" is kept briefly, so a new sign-up shows up soon.
//   - products and benefits (their names): a minute.
//   - subscriptions, orders and customer state: not kept by default, and
//     never more than config.MaxBillingTTL, so a customer who just changed their
//     plan in the portal never sees the old one.
//   - license keys, disputes and benefit grants (enrichments): as long as
//     the catalog, owned by their customer, and dropped by the events that
//     change them (benefit_grant.* for license keys, order.* and refund.*
//     for disputes); products kept by id go with the catalog.
//
// Webhooks write the records they carry through (writethrough.go).
//   - customer portal sessions: never shared; reused for the same verified
//     caller only while webhooks arrive (sessions.go).
//
// Errors are never kept. Identical reads in flight at the same time are
// made once (singleflight), whether or not their answer is kept; each
// caller still returns as soon as its own context is done.
//
// Answers are shared between callers: the returned slices are copies, but
// what their elements point to must be treated as read-only.
//
// The cache knows nothing of Polar's paging: ListOrders is keyed by the
// limit it is given, and the inner client normalizes it.
package cache

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/polar"
)

// Client is a polar.Client that caches and coalesces the reads of another
// polar.Client, for one Polar organization. It is safe for concurrent use.
type Client struct {
	inner       polar.Client
	customerTTL time.Duration
	notFoundTTL time.Duration
	catalogTTL  time.Duration
	billingTTL  time.Duration
	invalidated bool        // Config.Invalidated
	fresh       func() bool // nil: billingTTL holds
	callTimeout time.Duration
	now         func() time.Time
	store       *lru // nil: nothing is kept
	shared      atomic.Pointer[sharedBox]

	group singleflight.Group
	gen   atomic.Uint64 // bumped by every forget

	members   memberIndex
	subOwners subOwners     // subscription id -> customer, for seats
	vers      versions      // newest version written through, by record
	pageEvery time.Duration // Config.MemberPageInterval

	hits      atomic.Uint64
	misses    atomic.Uint64
	coalesced atomic.Uint64
	obs       Observer
}

var (
	_ polar.Client      = (*Client)(nil)
	_ polar.Invalidator = (*Client)(nil)
)

// New returns a Client in front of inner. Build one per organization, and
// keep it as long as the organization is served.
func New(inner polar.Client, cfg Config) *Client {
	c := &Client{
		inner:       inner,
		customerTTL: ttlOr(cfg.CustomerTTL, DefaultCustomerTTL),
		notFoundTTL: notFoundTTL(cfg),
		catalogTTL:  ttlOr(cfg.CatalogTTL, DefaultCatalogTTL),
		billingTTL:  min(max(cfg.BillingTTL, 0), billingCap(cfg)),
		invalidated: cfg.Invalidated,
		fresh:       cfg.Fresh,
		callTimeout: cfg.CallTimeout,
		now:         cfg.Now,
		obs:         cfg.Observer,
		pageEvery:   ttlOr(cfg.MemberPageInterval, DefaultMemberPageInterval),
	}
	if c.obs == nil {
		c.obs = nopObserver{}
	}
	if c.callTimeout <= 0 {
		c.callTimeout = DefaultCallTimeout
	}
	if c.now == nil {
		c.now = time.Now
	}
	switch {
	case cfg.MaxBytes == 0:
		c.store = newLRU(DefaultMaxBytes)
	case cfg.MaxBytes > 0:
		c.store = newLRU(cfg.MaxBytes)
	}
	return c
}

// FindCustomerByEmail implements polar.Client.
func (c *Client) FindCustomerByEmail(ctx context.Context, email string) (*polar.Customer, error) {
	email = caller.NormalizeEmail(email)
	return c.findCustomer(ctx, read[*polar.Customer]{
		key:      "customer\x00" + email,
		op:       "customers:list",
		ttl:      c.customerTTL,
		negTTL:   c.notFoundTTL,
		negOwner: emailOwner(email),
		ownerOf:  func(v *polar.Customer) string { return v.ID },
		call: func(ctx context.Context) (*polar.Customer, error) {
			return c.inner.FindCustomerByEmail(ctx, email)
		},
	})
}

// FindCustomerByExternalID implements polar.Client.
func (c *Client) FindCustomerByExternalID(ctx context.Context, ext string) (*polar.Customer, error) {
	return c.findCustomer(ctx, read[*polar.Customer]{
		key:    "customer-ext\x00" + ext,
		op:     "customers:get_external",
		ttl:    c.customerTTL,
		negTTL: c.notFoundTTL,
		owner:  externalOwner(ext),
		call: func(ctx context.Context) (*polar.Customer, error) {
			return c.inner.FindCustomerByExternalID(ctx, ext)
		},
	})
}

func (c *Client) findCustomer(ctx context.Context, r read[*polar.Customer]) (*polar.Customer, error) {
	v, from, err := loadKept(ctx, c, r)
	if err != nil || v == nil {
		return nil, err
	}
	cp := *v
	// While webhooks arrive, a lookup this instance kept still holds:
	// customer.updated would have dropped it. One from the Shared tier
	// may have missed a drop while Redis was away, and is always checked.
	cp.Kept = from == keptShared || from == keptHere && !(c.invalidated && c.webhooksFresh())
	return &cp, nil
}

// ListSubscriptions implements polar.Client.
func (c *Client) ListSubscriptions(ctx context.Context, ref polar.CustomerRef) ([]polar.Subscription, error) {
	v, err := load(ctx, c, read[[]polar.Subscription]{
		key:     "subscriptions\x00" + refKey(ref),
		op:      "subscriptions:list",
		ttl:     c.billingFor(),
		billing: true,
		owner:   refOwner(ref),
		call: func(ctx context.Context) ([]polar.Subscription, error) {
			v, err := c.inner.ListSubscriptions(ctx, ref)
			if err == nil {
				c.subOwners.learn(v)
			}
			return v, err
		},
	})
	return slices.Clone(v), err
}

// ListOrders implements polar.Client. Calls are cached and coalesced by
// the limit given; normalizing it is the inner client's job.
func (c *Client) ListOrders(ctx context.Context, ref polar.CustomerRef, limit int) ([]polar.Order, error) {
	v, err := load(ctx, c, read[[]polar.Order]{
		key:     "orders\x00" + refKey(ref) + "\x00" + strconv.Itoa(limit),
		op:      "orders:list",
		ttl:     c.billingFor(),
		billing: true,
		owner:   refOwner(ref),
		call: func(ctx context.Context) ([]polar.Order, error) {
			v, err := c.inner.ListOrders(ctx, ref, limit)
			if err == nil {
				c.subOwners.learnOrders(v)
			}
			return v, err
		},
	})
	return slices.Clone(v), err
}

// CustomerState implements polar.Client.
func (c *Client) CustomerState(ctx context.Context, ref polar.CustomerRef) (*polar.CustomerState, error) {
	v, err := load(ctx, c, read[*polar.CustomerState]{
		key:     "state\x00" + refKey(ref),
		op:      "customers:get_state",
		ttl:     c.billingFor(),
		billing: true,
		owner:   refOwner(ref),
		call: func(ctx context.Context) (*polar.CustomerState, error) {
			return c.inner.CustomerState(ctx, ref)
		},
	})
	if err != nil || v == nil {
		return nil, err
	}
	cp := *v
	cp.ActiveSubscriptions = slices.Clone(v.ActiveSubscriptions)
	cp.GrantedBenefits = slices.Clone(v.GrantedBenefits)
	cp.ActiveMeters = slices.Clone(v.ActiveMeters)
	return &cp, nil
}

// ListProducts implements polar.Client.
func (c *Client) ListProducts(ctx context.Context) ([]polar.Product, error) {
	v, err := load(ctx, c, read[[]polar.Product]{
		key:  "products",
		op:   "products:list",
		ttl:  c.catalogTTL,
		call: c.inner.ListProducts,
	})
	return slices.Clone(v), err
}

// ListBenefits implements polar.Client.
func (c *Client) ListBenefits(ctx context.Context) ([]polar.Benefit, error) {
	v, err := load(ctx, c, read[[]polar.Benefit]{
		key:  "benefits",
		op:   "benefits:list",
		ttl:  c.catalogTTL,
		call: c.inner.ListBenefits,
	})
	return slices.Clone(v), err
}

// OrderInvoice implements polar.Client. It is passed through, never
// cached: the link is a presigned URL that expires, and an invoice Polar
// generates later must show at once.
func (c *Client) OrderInvoice(ctx context.Context, orderID string) (*polar.Invoice, error) {
	return c.inner.OrderInvoice(ctx, orderID)
}

// LicenseKey implements polar.Client. A key's details only enrich the
// benefits answer of its customer, so they are kept like the grant they
// enrich: as long as billing answers (at least as long as the catalog),
// owned by the key's customer so that the events that change its grants
// (benefit_grant.*) drop them. Activations change as the customer uses
// the key and no event reports that: a new activation may show only once
// the key's entry expires.
func (c *Client) LicenseKey(ctx context.Context, id string) (*polar.LicenseKey, error) {
	v, err := load(ctx, c, read[*polar.LicenseKey]{
		key:    "license\x00" + id,
		op:     "license_keys:get",
		ttl:    c.enrichmentFor(),
		enrich: true,
		ownerOf: func(k *polar.LicenseKey) string {
			if k == nil {
				return ""
			}
			return k.CustomerID
		},
		call: func(ctx context.Context) (*polar.LicenseKey, error) { return c.inner.LicenseKey(ctx, id) },
	})
	if err != nil || v == nil {
		return nil, err
	}
	cp := *v
	cp.Activations = slices.Clone(v.Activations)
	return &cp, nil
}

// CreateCustomerSession implements polar.Client. It is never coalesced
// nor shared; while webhooks arrive, the session created for the same
// verified caller is handed out again while it is valid by a safe margin
// (sessions.go).
func (c *Client) CreateCustomerSession(ctx context.Context, ref polar.CustomerRef) (*polar.CustomerSession, error) {
	return c.session(ctx, ref, "", func(ctx context.Context) (*polar.CustomerSession, error) {
		return c.inner.CreateCustomerSession(ctx, ref)
	})
}

// Stats returns the cache's counters, added to the inner client's when it
// has a Stats method (as polar.SDKClient does).
func (c *Client) Stats() polar.Stats {
	var s polar.Stats
	if in, ok := c.inner.(interface{ Stats() polar.Stats }); ok {
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

// billingFor is how long a billing answer read now is kept: BillingTTL,
// at most config.MaxBillingTTL while webhooks are not known to arrive.
func (c *Client) billingFor() time.Duration {
	if c.webhooksFresh() {
		return c.billingTTL
	}
	return min(c.billingTTL, config.MaxBillingTTL)
}

// enrichmentFor is how long an enrichment of billing answers (a license
// key, the grants list) read now is kept: as long as billing answers, and
// at least as long as the catalog.
func (c *Client) enrichmentFor() time.Duration { return max(c.billingFor(), c.catalogTTL) }

// webhooksFresh reports whether webhooks are known to arrive (always,
// without Config.Fresh).
func (c *Client) webhooksFresh() bool { return c.fresh == nil || c.fresh() }

// notFoundTTL is how long cfg keeps "no customer has this email". A
// customer created since would not be seen, so it is kept only where
// webhooks drop it on customer.created.
func notFoundTTL(cfg Config) time.Duration {
	if !cfg.Invalidated {
		return 0
	}
	return ttlOr(cfg.NotFoundTTL, DefaultNotFoundTTL)
}

// billingCap is the longest cfg may keep billing data.
func billingCap(cfg Config) time.Duration {
	if cfg.Invalidated {
		return config.MaxBillingTTLWithWebhooks
	}
	return config.MaxBillingTTL
}

// catalogOwner owns the products kept one by one (GetProduct), so that
// ForgetCatalog (product.*, benefit.*) drops them with the lists.
const catalogOwner = "catalog\x00"

// GetProduct implements polar.Client. A product is kept as long as the
// catalog: it names a plan change, and a name changes rarely.
func (c *Client) GetProduct(ctx context.Context, id string) (*polar.Product, error) {
	return load(ctx, c, read[*polar.Product]{
		key:   "product\x00" + id,
		op:    "products:get",
		ttl:   c.catalogTTL,
		owner: catalogOwner,
		call:  func(ctx context.Context) (*polar.Product, error) { return c.inner.GetProduct(ctx, id) },
	})
}

// ListDisputes implements polar.Client. Disputes only enrich an order
// history, so they are kept as long as the catalog, by the exact set of
// orders asked about: a repeated question asks Polar for them once. They
// are owned by the orders' customer (learned from its order lists), so
// that its order.* and refund.* events drop them.
func (c *Client) ListDisputes(ctx context.Context, orderIDs []string) ([]polar.Dispute, error) {
	v, err := load(ctx, c, read[[]polar.Dispute]{
		key:   "disputes\x00" + strings.Join(orderIDs, ","),
		op:    "disputes:list",
		ttl:   c.catalogTTL,
		owner: c.subOwners.ofOrders(orderIDs),
		call:  func(ctx context.Context) ([]polar.Dispute, error) { return c.inner.ListDisputes(ctx, orderIDs) },
	})
	return slices.Clone(v), err
}

// ListBenefitGrants implements polar.Client. The grants list only adds
// the grants that are not active to an answer built on the customer
// state, so it is kept like that state (at least as long as the
// catalog), and benefit_grant.* webhooks write their grant into it.
func (c *Client) ListBenefitGrants(ctx context.Context, ref polar.CustomerRef) ([]polar.Grant, error) {
	v, err := load(ctx, c, read[[]polar.Grant]{
		key:    "grants\x00" + refKey(ref),
		op:     "benefit-grants:list",
		ttl:    c.enrichmentFor(),
		enrich: true,
		owner:  refOwner(ref),
		call: func(ctx context.Context) ([]polar.Grant, error) {
			return c.inner.ListBenefitGrants(ctx, ref)
		},
	})
	return slices.Clone(v), err
}
