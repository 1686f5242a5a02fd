package cache

import (
	"context"
	"errors"
	"time"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/polar"
)

// read describes one cacheable read of Client.
type read[T any] struct {
	key    string        // cache and coalescing key
	op     string        // operation id, for errors
	ttl    time.Duration // how long an answer is kept; 0: coalesce only
	negTTL time.Duration // how long ErrCustomerNotFound is kept; 0: not
	// negOwner owns a kept ErrCustomerNotFound (the email it is about).
	negOwner string
	// billing marks subscriptions, orders and state: kept at most
	// config.MaxBillingTTL while webhooks are not known to arrive (Config.Fresh).
	billing bool
	// enrich marks enrichments of billing answers (license keys, the
	// grants list): kept as long as billing answers while webhooks
	// arrive, and served at most the catalog's TTL old otherwise.
	enrich bool
	// owner is the customer the read is about, if known beforehand.
	owner string
	// ownerOf names the customer an answer is about, for reads whose
	// owner is not known beforehand.
	ownerOf func(T) string
	call    func(context.Context) (T, error)
}

// load answers r from the cache or from one upstream call shared by every
// identical read in flight. It returns when the answer is there or when
// ctx is done, whichever comes first; the shared call goes on for the
// others (and for the cache) either way.
func load[T any](ctx context.Context, c *Client, r read[T]) (T, error) {
	v, _, err := loadKept(ctx, c, r)
	return v, err
}

// origin is where an answer came from.
type origin uint8

const (
	fromPolar  origin = iota // asked of Polar during this call
	keptHere                 // kept by this instance from an earlier call
	keptShared               // found in the Shared tier (another instance asked)
)

func originOf(a answer) origin {
	if a.shared {
		return keptShared
	}
	return keptHere
}

// loadKept is load, also reporting where the answer came from.
func loadKept[T any](ctx context.Context, c *Client, r read[T]) (T, origin, error) {
	var zero T
	if a, ok := c.getFor(r.key, c.maxUnfresh(r.billing, r.enrich)); ok {
		c.hits.Add(1)
		c.obs.OnCache(ctx, Event{Kind: r.op, Outcome: OutcomeHit})
		v, _ := a.val.(T)
		return v, originOf(a), a.err
	}
	if err := ctx.Err(); err != nil {
		return zero, fromPolar, &polar.Error{Kind: polar.KindUnavailable, Operation: r.op, Err: err}
	}
	led := false // set by the shared call only if this caller started it
	ch := c.group.DoChan(r.key, func() (any, error) {
		led = true
		v, from, err := fetch(ctx, c, r)
		return fetched[T]{v, from}, err
	})
	// Counted once the call is joined, so that a test can tell.
	c.misses.Add(1)
	select {
	case res := <-ch:
		outcome := OutcomeMiss
		if !led {
			c.coalesced.Add(1)
			outcome = OutcomeCoalesced
		}
		c.obs.OnCache(ctx, Event{Kind: r.op, Outcome: outcome})
		f, _ := res.Val.(fetched[T])
		return f.v, f.from, res.Err
	case <-ctx.Done():
		return zero, fromPolar, &polar.Error{Kind: polar.KindUnavailable, Operation: r.op, Err: ctx.Err()}
	}
}

// fetched is what one coalesced call answered, and where from.
type fetched[T any] struct {
	v    T
	from origin
}

// fetch makes r's upstream call, on a context that the caller who started
// it cannot cancel, and keeps its answer as r allows; a read the Shared
// tier has is answered from it instead.
func fetch[T any](ctx context.Context, c *Client, r read[T]) (T, origin, error) {
	if a, ok := c.getFor(r.key, c.maxUnfresh(r.billing, r.enrich)); ok {
		// Kept by a call that ended since load looked.
		v, _ := a.val.(T)
		return v, originOf(a), a.err
	}
	gen := c.gen.Load()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.callTimeout)
	defer cancel()
	if v, ok := fromShared(ctx, c, r, gen); ok {
		return v, keptShared, nil
	}
	v, err := r.call(ctx)
	switch {
	case err == nil && r.ttl > 0 && c.gen.Load() == gen:
		owner := r.owner
		if r.ownerOf != nil {
			owner = r.ownerOf(v)
		}
		c.put(r.key, owner, answer{val: v}, r.ttl)
		toShared(ctx, c, r, v)
	case errors.Is(err, polar.ErrCustomerNotFound) && r.negTTL > 0:
		c.put(r.key, r.negOwner, answer{err: polar.ErrCustomerNotFound}, r.negTTL)
	case isNotFound(err) && r.owner != "":
		c.forget(r.owner)
	}
	return v, fromPolar, err
}

func (c *Client) get(key string) (answer, bool) {
	if c.store == nil {
		return answer{}, false
	}
	return c.store.get(key, c.now())
}

// maxUnfresh is how old an answer of a read marked billing or enrich may
// be served while webhooks are not known to arrive; 0: any age.
func (c *Client) maxUnfresh(billing, enrich bool) time.Duration {
	switch {
	case billing:
		return config.MaxBillingTTL
	case enrich:
		return c.catalogTTL
	}
	return 0
}

// getFor is get for r: while webhooks are not known to arrive, a billing
// answer older than config.MaxBillingTTL is stale, and so is any "no such
// customer".
func (c *Client) getFor(key string, maxAge time.Duration) (answer, bool) {
	a, ok := c.get(key)
	if !ok || c.webhooksFresh() {
		return a, ok
	}
	if errors.Is(a.err, polar.ErrCustomerNotFound) || maxAge > 0 && c.now().Sub(a.kept) >= maxAge {
		c.store.remove(key)
		return answer{}, false
	}
	return a, ok
}

func (c *Client) put(key, owner string, a answer, ttl time.Duration) {
	if c.store != nil {
		now := c.now()
		a.kept = now
		c.store.add(key, owner, a, now.Add(ttl))
	}
}

// forget drops everything kept about a customer Polar no longer knows,
// and keeps calls in flight from storing what they read before.
func (c *Client) forget(customerID string) {
	c.gen.Add(1)
	if c.store != nil {
		var gone []string
		c.store.removeOwnerIf(customerID, func(key string) bool { gone = append(gone, key); return true })
		c.forgetShared(gone...)
	}
}

// isNotFound reports whether err is a 404 from Polar.
func isNotFound(err error) bool {
	e, ok := polar.AsError(err)
	return ok && e.Kind == polar.KindNotFound
}
