package cache

import "time"

// Config defaults and limits.
const (
	DefaultCustomerTTL = 24 * time.Hour
	DefaultNotFoundTTL = 30 * time.Second
	DefaultCatalogTTL  = time.Minute
	DefaultMaxBytes    = 8 << 20
	DefaultCallTimeout = 30 * time.Second
)

// Config configures New. For each TTL, zero means its default
// and a negative value disables that cache.
type Config struct {
	// CustomerTTL keeps email -> customer answers.
	CustomerTTL time.Duration
	// NotFoundTTL keeps "no customer has this email" answers, only when
	// Invalidated (webhooks drop them on customer.created), and they are
	// not served while Fresh says webhooks are not arriving.
	NotFoundTTL time.Duration
	// CatalogTTL keeps the product list and the benefit list.
	CatalogTTL time.Duration
	// BillingTTL keeps subscriptions, orders and customer state. Its
	// default is 0 (identical calls in flight are still coalesced) and
	// it is capped at config.MaxBillingTTL, or at config.MaxBillingTTLWithWebhooks when
	// Invalidated.
	BillingTTL time.Duration
	// Invalidated says Polar's webhooks reach this cache's Invalidator,
	// so billing data may be kept longer.
	Invalidated bool
	// Fresh, when set with Invalidated, reports whether webhooks are
	// known to be arriving now. While it is false billing data is kept at
	// most config.MaxBillingTTL, whatever BillingTTL says, and older answers are
	// not served: a merchant whose deliveries stopped sees fresh answers.
	Fresh func() bool
	// MaxBytes bounds the cache's estimated memory. Zero means
	// DefaultMaxBytes; negative disables caching (coalescing remains).
	MaxBytes int64
	// CallTimeout bounds a coalesced upstream call, which outlives the
	// caller that started it. Zero means DefaultCallTimeout.
	CallTimeout time.Duration
	// MemberPageInterval paces the listing that builds the member index
	// (members.go): one page of 100 members per interval, so the build
	// leaves most of the organization's rate budget to questions. Zero
	// means DefaultMemberPageInterval; negative means no pause.
	MemberPageInterval time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Observer, when set, is told of every cacheable read's outcome.
	Observer Observer
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
