package fleet

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"
)

// maxInWindow returns the most times any window [t, t+w) holds.
func maxInWindow(times []time.Time, w time.Duration) int {
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	most, j := 0, 0
	for i := range times {
		for j < len(times) && times[j].Before(times[i].Add(w)) {
			j++
		}
		most = max(most, j-i)
	}
	return most
}

func newBudget(t *testing.T, n *network, pfx string, limit, instances int, w time.Duration, now func() time.Time) *RedisBudget {
	t.Helper()
	b, err := NewRedisBudget(client(t, n), RedisConfig{
		Limits:            Limits{PerWindow: limit, Window: w},
		ExpectedInstances: instances,
		Prefix:            pfx,
		Logger:            slog.New(slog.DiscardHandler),
		Now:               now,
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// simulate runs one instance until its clock passes end: it reserves
// with a random patience, gives back one slot in ten unsent, and sends
// the others a random moment apart (in µs, the budget's unit). Its
// clock is its own (instances are
// a little apart, as real hosts are); cut says when its network is down.
func simulate(t *testing.T, b *RedisBudget, clock *time.Time, end time.Time, w time.Duration, seed uint64, cut func(time.Time) bool, net *network) []time.Time {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, seed))
	var sent []time.Time
	for clock.Before(end) {
		if net != nil {
			net.down.Store(cut(*clock))
		}
		s, err := b.Reserve(ctx, "org-1", time.Duration(rng.Int64N(int64(w/4))))
		if err != nil {
			t.Error(err)
			return sent
		}
		if !s.OK {
			*clock = clock.Add(s.Wait + time.Microsecond)
			continue
		}
		if rng.IntN(10) == 0 {
			*clock = clock.Add((s.Wait / 2).Truncate(time.Microsecond))
			b.Release(ctx, "org-1", s)
			continue
		}
		at := clock.Add(s.Wait)
		sent = append(sent, at)
		*clock = at.Add(time.Duration(rng.Int64N(w.Microseconds()/50)) * time.Microsecond)
	}
	return sent
}

// run drives instances concurrently and returns every send time.
func run(t *testing.T, instances, limit int, w time.Duration, cut func(time.Time) bool) ([]time.Time, []*RedisBudget) {
	pfx := prefix(t)
	start := time.Now().Truncate(time.Second)
	end := start.Add(12 * w)
	var (
		mu   sync.Mutex
		all  []time.Time
		wg   sync.WaitGroup
		buds []*RedisBudget
	)
	for i := range instances {
		clock := start.Add(time.Duration(i) * time.Millisecond)
		var n *network
		if cut != nil {
			n = &network{}
		}
		b := newBudget(t, n, pfx, limit, instances, w, func() time.Time { return clock })
		buds = append(buds, b)
		wg.Go(func() {
			sent := simulate(t, b, &clock, end, w, uint64(i+1), cut, n)
			mu.Lock()
			all = append(all, sent...)
			mu.Unlock()
		})
	}
	wg.Wait()
	return all, buds
}

func TestBudgetHardCeilingAcrossInstances(t *testing.T) {
	const limit, instances, w = 30, 5, 2 * time.Second
	sent, _ := run(t, instances, limit, w, nil)
	if got := maxInWindow(sent, w); got != limit {
		t.Fatalf("busiest %v window saw %d sends from %d instances, want exactly the budget %d", w, got, instances, limit)
	}
	if len(sent) < 10*limit {
		t.Fatalf("only %d sends in 12 windows of %d: the budget starves its callers", len(sent), limit)
	}
}

func TestBudgetHardCeilingThroughAnOutage(t *testing.T) {
	const limit, instances, w = 30, 4, 2 * time.Second
	base := time.Now().Truncate(time.Second)
	cut := func(now time.Time) bool { return !now.Before(base.Add(3*w)) && now.Before(base.Add(6*w)) }
	sent, buds := run(t, instances, limit, w, cut)
	// Redis goes away at 3w: no instance can know what the others sent
	// just before, so the windows that start before 3w and end after it
	// may hold the budget plus the others' shares. Every other window,
	// the recovery at 6w included, holds at most the budget.
	goneAt := base.Add(3 * w)
	var before, straddling, after []time.Time
	for _, at := range sent {
		if at.Before(goneAt) {
			before = append(before, at)
		} else {
			after = append(after, at)
		}
		if at.After(goneAt.Add(-w)) && at.Before(goneAt.Add(w)) {
			straddling = append(straddling, at)
		}
	}
	if got := maxInWindow(before, w); got > limit {
		t.Errorf("a %v window before the outage saw %d sends, over the budget %d", w, got, limit)
	}
	if got := maxInWindow(after, w); got > limit {
		t.Errorf("a %v window from the outage on (through the recovery) saw %d sends, over the budget %d", w, got, limit)
	}
	if got, bound := maxInWindow(straddling, w), limit+(instances-1)*(limit/instances); got > bound {
		t.Errorf("a %v window across the moment Redis went saw %d sends, over %d", w, got, bound)
	}
	for i, b := range buds {
		if b.Fallbacks() == 0 || b.Outages() != 1 {
			t.Errorf("instance %d: %d slots booked alone in %d outages, want some in 1", i, b.Fallbacks(), b.Outages())
		}
		if b.Degraded() {
			t.Errorf("instance %d still degraded after Redis came back", i)
		}
	}
}

func TestBudgetBurstStopsAtTheBudget(t *testing.T) {
	ctx := context.Background()
	pfx := prefix(t)
	now := time.Now()
	clock := func() time.Time { return now }
	var granted int
	for range 4 {
		b := newBudget(t, nil, pfx, 30, 4, time.Minute, clock)
		for range 20 {
			s, err := b.Reserve(ctx, "org-1", 0)
			if err != nil {
				t.Fatal(err)
			}
			if s.OK {
				granted++
			} else if s.Wait <= 0 || s.Wait > time.Minute {
				t.Fatalf("refused slot says a slot frees in %v", s.Wait)
			}
		}
	}
	if granted != 30 {
		t.Fatalf("4 instances sending at once got %d slots, want the budget 30", granted)
	}
}
