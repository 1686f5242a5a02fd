// Package fleet lets several polar-mcp instances act as one, through
// Redis: they share each organization's request budget and its 429 pauses
// (Budget), each caller's tool-call allowance (RedisCalls), the email
// lookups and catalog one of them asked Polar for (RedisShared), and the
// legacy SSE message POSTs that reach an instance not holding their stream
// (RedisRelay); and they tell each other which cached answers a webhook
// made stale (Bus).
//
// # The hard ceiling
//
// A Budget is a sliding-window log: every slot handed out is a timestamp
// in a per-organization sorted set, and a new slot at time s is granted
// only when the window (s-W, s] already holds fewer than Limit slots.
// Slots are handed out in non-decreasing time order (s is never before
// the latest slot), so for any window of length W the latest slot in it
// was checked against every slot before it: no window of length W ever
// holds more than Limit slots, bursts included. Releasing a slot only
// removes one. The check and the insert are one Lua script, so it holds
// for any number of instances sharing the Redis.
package fleet

import (
	"context"
	"time"
)

// Budget defaults and limits.
const (
	// DefaultWindow is the window Polar counts its limits over.
	DefaultWindow = time.Minute
	// MinPause is how long a pause lasts at least (a 429 without a usable
	// Retry-After).
	MinPause = time.Second
	// MaxPause caps a pause, whatever Retry-After said.
	MaxPause = 120 * time.Second
)

// Budget hands out request slots for Polar organizations. Every instance
// built on the same Redis shares one budget and one pause per
// organization. It is safe for concurrent use.
type Budget interface {
	// Reserve books the next slot of org if it is at most maxWait away.
	// The caller sleeps Slot.Wait, then sends; when !Slot.OK nothing was
	// booked and Slot.Wait says when a slot would have been free. The
	// error is only ever ctx's.
	Reserve(ctx context.Context, org string, maxWait time.Duration) (Slot, error)
	// Release gives back a slot whose request was never sent.
	Release(ctx context.Context, org string, s Slot)
	// Pause stops every request of org, on every instance, until d from
	// now (clamped to [MinPause, MaxPause]); a longer pause in force stays.
	Pause(ctx context.Context, org string, d time.Duration)
	// PausedUntil reports until when org is paused (zero when it is not).
	PausedUntil(ctx context.Context, org string) time.Time
}

// Slot is the answer of Budget.Reserve.
type Slot struct {
	// Wait is how long until the slot (OK), or until one frees (!OK).
	Wait time.Duration
	// OK reports whether a slot was booked.
	OK bool

	id  string // member in Redis
	lid string // id in the in-process log
}

// Limits says how many requests each organization may send per window.
type Limits struct {
	// PerWindow is the budget of every organization, headroom already
	// taken off (polar.RateBudget). It must be at least 1.
	PerWindow int
	// For, when set, overrides PerWindow for the organizations it
	// returns a positive number for (sandbox and production differ).
	For func(org string) int
	// Window is the length of the window; zero means DefaultWindow.
	Window time.Duration
}

func (l Limits) limit(org string) int {
	if l.For != nil {
		if n := l.For(org); n > 0 {
			return n
		}
	}
	return max(l.PerWindow, 1)
}

func (l Limits) window() time.Duration {
	if l.Window <= 0 {
		return DefaultWindow
	}
	return l.Window
}

func clampPause(d time.Duration) time.Duration {
	return min(max(d, MinPause), MaxPause)
}
