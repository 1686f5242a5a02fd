package fleet

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// DefaultRetryInterval is how often a RedisBudget without Redis tries it
// again.
const DefaultRetryInterval = time.Second

// RedisConfig configures NewRedisBudget.
type RedisConfig struct {
	// Limits is the budget shared by all instances.
	Limits Limits
	// ExpectedInstances is how many instances share the budget. While
	// Redis does not answer, each instance sends at most
	// Limit/ExpectedInstances per window on its own. It must be >= 1.
	ExpectedInstances int
	// Prefix starts every key; zero means "polar-mcp:budget:".
	Prefix string
	// RetryInterval is how often Redis is tried during an outage; zero
	// means DefaultRetryInterval.
	RetryInterval time.Duration
	// Logger gets one warning per outage and a note when it ends;
	// slog.Default() when nil.
	Logger *slog.Logger
	// Now is the clock; time.Now when nil. Instances sharing a Redis
	// must have clocks in step (NTP): slot times are theirs.
	Now func() time.Time
}

// RedisBudget is a Budget shared through Redis, with an in-process
// fallback while Redis does not answer. It is safe for concurrent use.
//
// While Redis answers, no window holds more than the limit. When Redis
// stops answering, each instance goes on alone at Limit/ExpectedInstances
// per window, its own recent slots included, so windows within the
// outage hold at most the limit too; a window that straddles the moment
// Redis went away may hold up to Limit + (N-1)*Limit/N, because no
// instance can know what the others sent just before.
//
// After an outage it tells Redis the slots it booked alone, then for one
// window books each slot in both (the later of the two times wins), so
// windows that straddle the outage still see every slot. The ceiling
// then holds as long as every instance reaches Redis again within one
// window of the others.
type RedisBudget struct {
	rdb      redis.UniversalClient
	limits   Limits
	local    *LocalBudget // the fallback, at Limit/ExpectedInstances
	prefix   string
	retry    time.Duration
	log      *slog.Logger
	now      func() time.Time
	instance string

	mu        sync.Mutex
	down      bool
	retryAt   time.Time
	holdUntil time.Time // both local and Redis until then

	fallbacks atomic.Uint64
	outages   atomic.Uint64
}

var _ Budget = (*RedisBudget)(nil)

// NewRedisBudget returns a RedisBudget on rdb.
func NewRedisBudget(rdb redis.UniversalClient, cfg RedisConfig) (*RedisBudget, error) {
	if rdb == nil {
		return nil, errors.New("fleet: NewRedisBudget needs a Redis client")
	}
	if cfg.ExpectedInstances < 1 {
		return nil, errors.New("fleet: RedisConfig.ExpectedInstances must be at least 1 (it sizes the budget each instance keeps while Redis is down)")
	}
	if cfg.Limits.PerWindow < 1 && cfg.Limits.For == nil {
		return nil, errors.New("fleet: Limits.PerWindow must be at least 1")
	}
	b := &RedisBudget{
		rdb: rdb, limits: cfg.Limits, prefix: cfg.Prefix, retry: cfg.RetryInterval,
		log: cfg.Logger, now: cfg.Now, instance: newMember(),
	}
	if b.prefix == "" {
		b.prefix = "polar-mcp:budget:"
	}
	if b.retry <= 0 {
		b.retry = DefaultRetryInterval
	}
	if b.log == nil {
		b.log = slog.Default()
	}
	if b.now == nil {
		b.now = time.Now
	}
	n := cfg.ExpectedInstances
	local := cfg.Limits
	local.For = func(org string) int { return max(cfg.Limits.limit(org)/n, 1) }
	b.local = NewLocalBudget(local, b.now)
	return b, nil
}

// Fallbacks counts the slots booked without Redis.
func (b *RedisBudget) Fallbacks() uint64 { return b.fallbacks.Load() }

// Outages counts the times Redis stopped answering.
func (b *RedisBudget) Outages() uint64 { return b.outages.Load() }

// Degraded reports whether Redis is not answering now.
func (b *RedisBudget) Degraded() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.down
}

// Check asks Redis whether it answers, and starts or ends an outage as
// Reserve would: called every RetryInterval, it lets sharing resume (and
// Degraded tell the truth) within a second of Redis answering again,
// with or without traffic.
func (b *RedisBudget) Check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, b.retry)
	defer cancel()
	if err := b.rdb.Ping(ctx).Err(); err != nil {
		if ctx.Err() == nil || errors.Is(err, context.DeadlineExceeded) {
			b.failed(err)
		}
		return err
	}
	if err := b.answered(ctx); err != nil {
		b.failed(err)
		return err
	}
	return nil
}

// RetryInterval is how often Redis is tried during an outage.
func (b *RedisBudget) RetryInterval() time.Duration { return b.retry }

// mode returns whether to use Redis and whether to book locally too.
func (b *RedisBudget) mode(now time.Time) (useRedis, hold bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.down && now.Before(b.retryAt) {
		return false, false
	}
	return true, b.down || now.Before(b.holdUntil)
}

// failed records that Redis did not answer.
func (b *RedisBudget) failed(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.retryAt = b.now().Add(b.retry)
	if b.down {
		return
	}
	b.down = true
	b.outages.Add(1)
	b.log.Warn("fleet: Redis is not answering; each instance now keeps its own share of the Polar request budget",
		"error", err.Error())
}

// answered is called before a Redis call that may end an outage: it
// pushes the slots booked alone, then ends the outage.
func (b *RedisBudget) answered(ctx context.Context) error {
	b.mu.Lock()
	wasDown := b.down
	b.mu.Unlock()
	if !wasDown {
		return nil
	}
	if err := b.push(ctx); err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.down {
		b.down = false
		b.holdUntil = b.now().Add(b.limits.window())
		b.log.Info("fleet: Redis answers again; the Polar request budget is shared again")
	}
	return nil
}

// Reserve implements Budget.
func (b *RedisBudget) Reserve(ctx context.Context, org string, maxWait time.Duration) (Slot, error) {
	if err := ctx.Err(); err != nil {
		return Slot{}, err
	}
	now := b.now()
	useRedis, hold := b.mode(now)
	if !useRedis {
		return b.alone(org, maxWait), nil
	}
	if !hold {
		s, at, err := b.redisReserve(ctx, org, now, maxWait, time.Time{})
		if err == nil {
			if s.OK {
				// Kept so that, should Redis go, this instance's
				// share counts what it already sent.
				l := b.local.log(org)
				s.lid = l.add(at, true)
				l.mu.Unlock()
			}
			return s, nil
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return Slot{}, ctxErr
		}
		b.failed(err)
		return b.alone(org, maxWait), nil
	}
	if err := b.answered(ctx); err != nil {
		b.failed(err)
		return b.alone(org, maxWait), nil
	}
	return b.both(ctx, org, now, maxWait)
}

// alone books a slot in the fallback.
func (b *RedisBudget) alone(org string, maxWait time.Duration) Slot {
	s := b.local.reserve(org, maxWait, b.local.limits.limit(org))
	if s.OK {
		b.fallbacks.Add(1)
	}
	return s
}

// both books a slot in Redis no earlier than the fallback allows, and
// the same slot in the fallback.
func (b *RedisBudget) both(ctx context.Context, org string, now time.Time, maxWait time.Duration) (Slot, error) {
	l := b.local.log(org)
	defer l.mu.Unlock()
	limit := b.local.limits.limit(org)
	sl := l.earliest(now, limit, b.limits.window())
	s, at, err := b.redisReserve(ctx, org, now, maxWait, sl)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return Slot{}, ctxErr
		}
		b.failed(err)
		if wait := sl.Sub(now); wait > maxWait {
			return Slot{Wait: wait}, nil
		}
		b.fallbacks.Add(1)
		return Slot{Wait: sl.Sub(now), OK: true, lid: l.add(sl, false)}, nil
	}
	if s.OK {
		s.lid = l.add(at, true)
	}
	return s, nil
}

// Release implements Budget.
func (b *RedisBudget) Release(ctx context.Context, org string, s Slot) {
	if !s.OK {
		return
	}
	b.local.Release(ctx, org, s)
	if s.id != "" {
		if err := b.rdb.ZRem(ctx, b.slotsKey(org), s.id).Err(); err != nil && ctx.Err() == nil {
			b.failed(err)
		}
	}
}

// Pause implements Budget. The fallback is paused too.
func (b *RedisBudget) Pause(ctx context.Context, org string, d time.Duration) {
	d = clampPause(d)
	until := b.now().Add(d)
	b.local.pauseUntil(org, until)
	if err := b.redisPause(ctx, org, until, d); err != nil && ctx.Err() == nil {
		b.failed(err)
	}
}

// PausedUntil implements Budget: the later of the shared and the
// fallback's pause.
func (b *RedisBudget) PausedUntil(ctx context.Context, org string) time.Time {
	until := b.local.PausedUntil(ctx, org)
	if useRedis, _ := b.mode(b.now()); !useRedis {
		return until
	}
	shared, err := b.redisPausedUntil(ctx, org)
	if err != nil {
		if ctx.Err() == nil {
			b.failed(err)
		}
		return until
	}
	if shared.After(b.now()) {
		until = later(until, shared)
	}
	return until
}

// The callers' call buckets, kept in Redis for the whole fleet.

// DefaultCallsPrefix starts the Redis keys of the callers' call buckets
// (redis_rate puts its own "rate:" before it).
const DefaultCallsPrefix = "polar-mcp:calls:"

// Taker is a set of token buckets by key; hosted.CallBuckets is one.
type Taker interface {
	// Take spends one of key's tokens, or returns how long until one is
	// available (and spends nothing).
	Take(ctx context.Context, key string) time.Duration
}

// RedisCalls is one token bucket per caller shared by every instance
// (GCRA, github.com/go-redis/redis_rate), so that a caller spread over
// several replicas gets one allowance, not one per replica. While Redis
// does not answer, each instance falls back to its own buckets, asking
// Redis again at most once per DefaultRetryInterval.
type RedisCalls struct {
	limiter   *redis_rate.Limiter
	limit     redis_rate.Limit
	prefix    string
	local     Taker
	log       *slog.Logger
	fallbacks atomic.Uint64
	down      atomic.Bool
	retryAt   atomic.Int64 // unix nanoseconds: before it, Redis is not asked
}

// NewRedisCalls returns buckets of perMinute tokens a minute, in bursts of
// up to burst, on rdb; local serves while Redis is away.
func NewRedisCalls(rdb redis.UniversalClient, perMinute, burst int, local Taker, log *slog.Logger) *RedisCalls {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &RedisCalls{
		limiter: redis_rate.NewLimiter(rdb),
		limit:   redis_rate.Limit{Rate: perMinute, Period: time.Minute, Burst: max(burst, 1)},
		prefix:  DefaultCallsPrefix,
		local:   local,
		log:     log,
	}
}

// Take implements Taker. The key is hashed: it names a caller (an email,
// a token subject), which Redis need not hold.
func (c *RedisCalls) Take(ctx context.Context, key string) time.Duration {
	if time.Now().UnixNano() < c.retryAt.Load() {
		c.fallbacks.Add(1)
		return c.local.Take(ctx, key)
	}
	sum := sha256.Sum256([]byte(key))
	rctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	res, err := c.limiter.Allow(rctx, c.prefix+hex.EncodeToString(sum[:16]), c.limit)
	if err != nil {
		c.fallbacks.Add(1)
		c.retryAt.Store(time.Now().Add(DefaultRetryInterval).UnixNano())
		if !c.down.Swap(true) {
			c.log.Warn("redis: the shared call limits cannot be checked; each instance counts its own callers", "err", err)
		}
		return c.local.Take(ctx, key)
	}
	if c.down.Swap(false) {
		c.log.Info("redis: the shared call limits are checked again")
	}
	if res.Allowed > 0 {
		return 0
	}
	return max(res.RetryAfter, time.Millisecond)
}

// Fallbacks counts the calls counted locally because Redis did not answer.
func (c *RedisCalls) Fallbacks() uint64 { return c.fallbacks.Load() }
