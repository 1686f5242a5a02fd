package fleet

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultSharedPrefix starts the Redis keys of the caches' shared tier.
const DefaultSharedPrefix = "polar-mcp:cache:"

// sharedTimeout bounds one shared-tier command: past it, the cache asks
// Polar instead.
const sharedTimeout = 200 * time.Millisecond

// RedisShared is one Polar organization's shared cache tier in Redis
// (polar/cache's Shared): what one instance asked Polar for, the others
// find here. Errors are misses.
type RedisShared struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewRedisShared returns the shared tier of organization org on rdb.
func NewRedisShared(rdb redis.UniversalClient, org string) *RedisShared {
	return &RedisShared{rdb: rdb, prefix: DefaultSharedPrefix + "{" + org + "}:"}
}

// Get returns the value kept under key.
func (s *RedisShared) Get(ctx context.Context, key string) ([]byte, bool) {
	ctx, cancel := context.WithTimeout(ctx, sharedTimeout)
	defer cancel()
	b, err := s.rdb.Get(ctx, s.prefix+key).Bytes()
	return b, err == nil
}

// Set keeps val under key for ttl.
func (s *RedisShared) Set(ctx context.Context, key string, val []byte, ttl time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, sharedTimeout)
	defer cancel()
	_ = s.rdb.Set(ctx, s.prefix+key, val, ttl).Err()
}

// Del drops keys.
func (s *RedisShared) Del(ctx context.Context, keys ...string) {
	if len(keys) == 0 {
		return
	}
	full := make([]string, len(keys))
	for i, k := range keys {
		full[i] = s.prefix + k
	}
	ctx, cancel := context.WithTimeout(ctx, sharedTimeout)
	defer cancel()
	_ = s.rdb.Del(ctx, full...).Err()
}
