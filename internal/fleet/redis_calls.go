package fleet

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

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
