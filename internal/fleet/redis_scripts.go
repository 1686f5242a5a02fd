package fleet

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// reserveScript books a slot in the sorted set KEYS[1] (members scored
// by their time in µs), honouring the pause in KEYS[2].
// ARGV: now, window, limit, max wait, member, not before (µs, counts).
// It returns {1, wait} when booked and {0, wait} when not.
var reserveScript = redis.NewScript(`
local key, pkey = KEYS[1], KEYS[2]
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local maxwait, member = tonumber(ARGV[4]), ARGV[5]
local s = math.max(now, tonumber(ARGV[6]))
-- two windows back: clocks a little apart never drop a slot that counts
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - 2 * window)
local p = redis.call('GET', pkey)
if p then s = math.max(s, tonumber(p)) end
local n = redis.call('ZCARD', key)
if n > 0 then
  local last = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  s = math.max(s, tonumber(last[2]))
  if n >= limit then
    local e = redis.call('ZRANGE', key, n - limit, n - limit, 'WITHSCORES')
    s = math.max(s, tonumber(e[2]) + window)
  end
end
local wait = s - now
if wait > maxwait then return {0, wait} end
redis.call('ZADD', key, s, member)
redis.call('PEXPIRE', key, math.floor((wait + 2 * window) / 1000) + 1000)
return {1, wait}
`)

// pauseScript sets the pause KEYS[1] to ARGV[1] (µs) for ARGV[2] ms,
// unless a later pause is in force.
var pauseScript = redis.NewScript(`
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > cur then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
return 0
`)

func (b *RedisBudget) slotsKey(org string) string { return b.prefix + "{" + org + "}:slots" }
func (b *RedisBudget) pauseKey(org string) string { return b.prefix + "{" + org + "}:pause" }

// redisReserve runs reserveScript; notBefore may be zero.
func (b *RedisBudget) redisReserve(ctx context.Context, org string, now time.Time, maxWait time.Duration, notBefore time.Time) (Slot, time.Time, error) {
	member := newMember()
	nb := int64(0)
	if !notBefore.IsZero() {
		nb = notBefore.UnixMicro()
	}
	nowUS := now.UnixMicro()
	res, err := reserveScript.Run(ctx, b.rdb,
		[]string{b.slotsKey(org), b.pauseKey(org)},
		nowUS, b.limits.window().Microseconds(), b.limits.limit(org),
		max(maxWait, 0).Microseconds(), member, nb).Int64Slice()
	if err != nil {
		return Slot{}, time.Time{}, err
	}
	if len(res) != 2 {
		return Slot{}, time.Time{}, redis.Nil
	}
	s := Slot{Wait: time.Duration(res[1]) * time.Microsecond, OK: res[0] == 1}
	if s.OK {
		s.id = member
	}
	return s, time.UnixMicro(nowUS + res[1]), nil
}

// push tells Redis the slots this instance booked on its own during an
// outage, so the windows they fall in count them.
func (b *RedisBudget) push(ctx context.Context) error {
	recent := b.local.recent()
	if len(recent) == 0 {
		return nil
	}
	pipe := b.rdb.Pipeline()
	ttl := 2*b.limits.window() + time.Second
	for org, slots := range recent {
		zs := make([]redis.Z, len(slots))
		for i, s := range slots {
			zs[i] = redis.Z{Score: float64(s.at.UnixMicro()), Member: "l:" + b.instance + ":" + strconv.FormatUint(s.id, 10)}
		}
		pipe.ZAddNX(ctx, b.slotsKey(org), zs...)
		pipe.PExpire(ctx, b.slotsKey(org), ttl)
	}
	_, err := pipe.Exec(ctx)
	return err
}

func (b *RedisBudget) redisPause(ctx context.Context, org string, until time.Time, d time.Duration) error {
	return pauseScript.Run(ctx, b.rdb, []string{b.pauseKey(org)},
		until.UnixMicro(), max(d.Milliseconds(), 1)).Err()
}

func (b *RedisBudget) redisPausedUntil(ctx context.Context, org string) (time.Time, error) {
	v, err := b.rdb.Get(ctx, b.pauseKey(org)).Int64()
	switch {
	case err == redis.Nil:
		return time.Time{}, nil
	case err != nil:
		return time.Time{}, err
	}
	return time.UnixMicro(v), nil
}

func newMember() string {
	var p [12]byte
	_, _ = rand.Read(p[:])
	return hex.EncodeToString(p[:])
}
