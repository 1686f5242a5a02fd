package polar

import (
	"context"
	"time"
)

// RateLimiter paces the requests of one Polar organization: SDKClient.do
// calls Wait before every HTTP request, Pause after a 429, and Settle once
// the request is answered. Package internal/fleet's Limiter keeps the
// budget, in this process or shared between instances through Redis;
// Unlimited never waits. Implementations are safe for concurrent use.
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

// Unlimited is the RateLimiter of an organization that is not paced
// (POLAR_MCP_RATE_LIMIT < 0): it never waits.
type Unlimited struct{}

var _ RateLimiter = Unlimited{}

// Wait implements RateLimiter: every request may go at once.
func (Unlimited) Wait(context.Context, string) (bool, error) { return false, nil }

// Pause implements RateLimiter: nothing to pause.
func (Unlimited) Pause(time.Duration) {}

// Settle implements RateLimiter: there is never a probe.
func (Unlimited) Settle(bool, bool) {}

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
