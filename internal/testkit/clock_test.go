package testkit

import (
	"testing"
	"time"
)

func TestClockMovesOnlyWhenAdvanced(t *testing.T) {
	start := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	c := NewClock(start)
	first := c.Now()
	time.Sleep(time.Millisecond) // the wall clock moves; this one must not
	if second := c.Now(); !first.Equal(start) || !second.Equal(start) {
		t.Fatalf("Now = %v then %v, want %v both times", first, second, start)
	}
	c.Advance(90 * time.Second)
	if want := start.Add(90 * time.Second); !c.Now().Equal(want) {
		t.Errorf("after Advance: %v, want %v", c.Now(), want)
	}
}
