package fleet

import (
	"context"
	"testing"
	"time"
)

// countingTaker is a local fallback that allows everything and counts.
type countingTaker struct{ n int }

func (c *countingTaker) Take(context.Context, string) time.Duration { c.n++; return 0 }

// Two instances share one bucket per caller: a burst of 3 spent across
// both leaves nothing at either, and another caller is unaffected.
func TestRedisCallsShareOneBucketPerCaller(t *testing.T) {
	ctx := context.Background()
	local := &countingTaker{}
	a := NewRedisCalls(client(t, nil), 60, 3, local, nil)
	b := NewRedisCalls(client(t, nil), 60, 3, local, nil)
	key := prefix(t) + "customer\x00alice@example.com"
	for i, c := range []*RedisCalls{a, b, a} {
		if wait := c.Take(ctx, key); wait != 0 {
			t.Fatalf("call %d of a burst of 3 refused (wait %v)", i+1, wait)
		}
	}
	for name, c := range map[string]*RedisCalls{"a": a, "b": b} {
		if wait := c.Take(ctx, key); wait <= 0 || wait > 2*time.Second {
			t.Errorf("a fourth call at %s: wait %v, want about 1 s (60 a minute)", name, wait)
		}
	}
	if wait := b.Take(ctx, prefix(t)+"customer\x00bob@example.com"); wait != 0 {
		t.Errorf("another caller refused (wait %v)", wait)
	}
	if local.n != 0 || a.Fallbacks() != 0 {
		t.Errorf("Redis answered, yet %d calls were counted locally", local.n)
	}
}

// While Redis does not answer, the instance counts its callers itself,
// without asking Redis on every call, and goes back to Redis once it
// answers again.
func TestRedisCallsFallBackWhileRedisIsAway(t *testing.T) {
	ctx := context.Background()
	n := &network{}
	local := &countingTaker{}
	c := NewRedisCalls(client(t, n), 60, 3, local, nil)
	key := prefix(t) + "customer\x00alice@example.com"
	n.down.Store(true)
	for range 5 {
		if wait := c.Take(ctx, key); wait != 0 {
			t.Fatalf("the local fallback allows everything, got wait %v", wait)
		}
	}
	if local.n != 5 || c.Fallbacks() != 5 {
		t.Fatalf("Redis away: %d local takes, %d fallbacks; want 5 and 5", local.n, c.Fallbacks())
	}
	n.down.Store(false)
	time.Sleep(DefaultRetryInterval) // Redis is asked again after a while
	for range 3 {
		c.Take(ctx, key)
	}
	if wait := c.Take(ctx, key); wait <= 0 {
		t.Error("Redis back: a fourth call within the burst of 3 was allowed")
	}
	if local.n != 5 {
		t.Errorf("Redis back: %d local takes, want still 5", local.n)
	}
}
