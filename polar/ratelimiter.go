package polar

import (
	"context"
	"time"
)

// RateLimiter paces the requests of one Polar organization: SDKClient.do
// calls Wait before every HTTP request, Pause after a 429, and Settle once
// the request is answered. *Limiter keeps the budget in this process;
// package polar/fleetlimit shares it between instances through Redis.
// Implementations are safe for concurrent use.
type RateLimiter interface {
	// Wait takes a slot for one request of operation opID, sleeping until
	// it is due if that is within the limiter's wait limit and ctx's
	// deadline. Otherwise it returns a KindRateLimited *Error (cause
	// ErrBudgetSpent, RetryAfter when a slot frees) and nothing may be
	// sent. probe reports that the request is the one probe after a
	// pause; Settle must then be called with its outcome.
	Wait(ctx context.Context, opID string) (probe bool, err error)
	// Pause stops the organization's requests for d (a 429's
	// Retry-After), clamped to [1 s, MaxRateLimitPause].
	Pause(d time.Duration)
	// Settle ends the probe a request was let through as; answered
	// reports any answer but a 429. It does nothing when !probe.
	Settle(probe, answered bool)
}

// RateCounters are a RateLimiter's counters, for Stats.
type RateCounters struct {
	Waits, Refusals, Pauses uint64
}

// rateCounted is a RateLimiter that counts (Stats adds its counters).
type rateCounted interface {
	RateCounters() RateCounters
}

var _ RateLimiter = (*Limiter)(nil)

// Wait implements RateLimiter.
func (l *Limiter) Wait(ctx context.Context, opID string) (bool, error) {
	probe, _, err := l.wait(ctx, opID)
	return probe, err
}

// Pause implements RateLimiter.
func (l *Limiter) Pause(d time.Duration) { l.pause(d) }

// Settle implements RateLimiter.
func (l *Limiter) Settle(probe, answered bool) { l.settle(probe, answered) }

// RateCounters returns the limiter's counters.
func (l *Limiter) RateCounters() RateCounters {
	if l == nil {
		return RateCounters{}
	}
	return RateCounters{Waits: l.waits.Load(), Refusals: l.refusals.Load(), Pauses: l.pauses.Load()}
}

// addRateStats adds l's counters to s when it counts.
func addRateStats(l RateLimiter, s *Stats) {
	rc, ok := l.(rateCounted)
	if !ok {
		return
	}
	c := rc.RateCounters()
	s.RateWaits += c.Waits
	s.RateRefusals += c.Refusals
	s.RatePauses += c.Pauses
}
