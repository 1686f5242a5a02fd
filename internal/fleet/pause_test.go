package fleet

import (
	"context"
	"testing"
	"time"
)

func TestPauseIsSharedAndCapped(t *testing.T) {
	ctx := context.Background()
	pfx := prefix(t)
	now := time.Now().Truncate(time.Microsecond)
	clock := func() time.Time { return now }
	a := newBudget(t, nil, pfx, 30, 2, time.Minute, clock)
	b := newBudget(t, nil, pfx, 30, 2, time.Minute, clock)
	a.Pause(ctx, "org-1", 3*time.Second)
	if got := b.PausedUntil(ctx, "org-1"); !got.Equal(now.Add(3 * time.Second)) {
		t.Fatalf("the other instance sees the pause until %v, want %v", got, now.Add(3*time.Second))
	}
	s, err := b.Reserve(ctx, "org-1", time.Second)
	if err != nil || s.OK || s.Wait != 3*time.Second {
		t.Fatalf("reserve during the pause = %+v, %v; want refused, free in 3s", s, err)
	}
	a.Pause(ctx, "org-1", time.Hour)
	if got := b.PausedUntil(ctx, "org-1"); !got.Equal(now.Add(MaxPause)) {
		t.Fatalf("an hour's Retry-After pauses until %v, want the cap %v", got, now.Add(MaxPause))
	}
	a.Pause(ctx, "org-1", 2*time.Second)
	if got := b.PausedUntil(ctx, "org-1"); !got.Equal(now.Add(MaxPause)) {
		t.Fatalf("a shorter pause shortened the one in force: until %v", got)
	}
}
