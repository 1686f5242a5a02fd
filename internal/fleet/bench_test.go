package fleet

import (
	"context"
	"slices"
	"testing"
	"time"
)

// BenchmarkRedisReserve measures one budget check (one Reserve, under a
// budget too large to run out) against the test Redis, and reports its
// median and p99.
func BenchmarkRedisReserve(b *testing.B) {
	b.StopTimer()
	rb, err := NewRedisBudget(client(b, nil), RedisConfig{
		Limits: Limits{PerWindow: 1 << 30}, ExpectedInstances: 1, Prefix: prefix(b),
	})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.StartTimer()
	for range b.N {
		t0 := time.Now()
		s, err := rb.Reserve(ctx, "org-1", 0)
		lat = append(lat, time.Since(t0))
		if err != nil || !s.OK {
			b.Fatalf("reserve: %v %+v", err, s)
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "median-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkRedisCallTake measures one shared tool-call check (one Take,
// under a limit too large to run out) against the test Redis, and
// reports its median and p99.
func BenchmarkRedisCallTake(b *testing.B) {
	b.StopTimer()
	c := NewRedisCalls(client(b, nil), 1<<30, 1<<30, nil, nil)
	ctx := context.Background()
	key := prefix(b) + "caller"
	lat := make([]time.Duration, 0, b.N)
	b.StartTimer()
	for range b.N {
		t0 := time.Now()
		wait := c.Take(ctx, key)
		lat = append(lat, time.Since(t0))
		if wait != 0 {
			b.Fatalf("take: wait %v", wait)
		}
	}
	b.StopTimer()
	if c.Fallbacks() != 0 {
		b.Fatal("Redis did not answer")
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "median-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}
