package fleet

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/polar-mcp/polar-mcp/polar"
)

// pauseTimeout bounds telling the budget about a 429.
const pauseTimeout = 2 * time.Second

// Limiter paces a Polar organization's requests with a Budget shared by
// every polar-mcp instance: a polar.RateLimiter whose slots and 429 pauses
// live in the budget (Redis, or this process's LocalBudget), so that all
// instances and all connections to one organization stay, together,
// within its limit. It is safe for concurrent use.
//
// After a 429 the instance that got it is half-open: when the shared pause
// ends it sends one probe first, and its other requests wait for the
// probe's answer. The other instances see the shared pause in the budget
// and resume, paced by the window, when it ends.
type Limiter struct {
	budget  Budget
	org     string
	maxWait time.Duration

	mu   sync.Mutex
	gate polar.ProbeGate // half-open after a 429 here

	waits, refusals, pauses atomic.Uint64
}

var _ polar.RateLimiter = (*Limiter)(nil)

// NewLimiter returns the Limiter of organization org on budget. maxWait is the
// longest a request waits for a slot: zero means
// polar.DefaultRateLimitWait, negative never waits.
func NewLimiter(budget Budget, org string, maxWait time.Duration) *Limiter {
	switch {
	case maxWait == 0:
		maxWait = polar.DefaultRateLimitWait
	case maxWait < 0:
		maxWait = 0
	}
	return &Limiter{budget: budget, org: org, maxWait: maxWait}
}

// Org returns the organization the Limiter paces.
func (l *Limiter) Org() string { return l.org }

// Wait implements polar.RateLimiter.
func (l *Limiter) Wait(ctx context.Context, opID string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, &polar.Error{Kind: polar.KindUnavailable, Operation: opID, Err: err}
	}
	limit := l.maxWait
	if deadline, ok := ctx.Deadline(); ok {
		limit = min(limit, time.Until(deadline))
	}
	giveUp := time.Now().Add(limit)
	for {
		probe, settled := l.enter()
		if settled != nil {
			if err := polar.AwaitProbe(ctx, settled, limit); err != nil {
				return false, &polar.Error{Kind: polar.KindUnavailable, Operation: opID, Err: err}
			}
			if limit = time.Until(giveUp); limit <= 0 {
				l.refusals.Add(1)
				return false, l.refusal(opID, time.Second)
			}
			continue
		}
		slot, err := l.budget.Reserve(ctx, l.org, max(limit, 0))
		if err != nil {
			l.Settle(probe, false)
			return false, &polar.Error{Kind: polar.KindUnavailable, Operation: opID, Err: err}
		}
		if !slot.OK {
			l.Settle(probe, false)
			l.refusals.Add(1)
			return false, l.refusal(opID, slot.Wait)
		}
		if slot.Wait > 0 {
			l.waits.Add(1)
			if err := polar.Sleep(ctx, slot.Wait); err != nil {
				l.budget.Release(context.WithoutCancel(ctx), l.org, slot)
				l.Settle(probe, false)
				return false, &polar.Error{Kind: polar.KindUnavailable, Operation: opID, Err: err}
			}
		}
		return probe, nil
	}
}

func (l *Limiter) refusal(opID string, wait time.Duration) error {
	return &polar.Error{Kind: polar.KindRateLimited, Operation: opID,
		RetryAfter: min(max(wait, time.Second), polar.MaxRateLimitPause), Err: polar.ErrBudgetSpent}
}

// gate lets a request through while closed; while half-open it makes the
// first request the probe and has the others wait for settled.
func (l *Limiter) enter() (probe bool, settled <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.gate.HalfOpen() {
		return false, nil
	}
	if settled := l.gate.Probing(); settled != nil {
		return false, settled
	}
	l.gate.Begin()
	return true, nil
}

// Pause implements polar.RateLimiter: every instance pauses.
func (l *Limiter) Pause(d time.Duration) {
	l.pauses.Add(1)
	l.mu.Lock()
	l.gate.Open()
	l.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), pauseTimeout)
	defer cancel()
	l.budget.Pause(ctx, l.org, d)
}

// Settle implements polar.RateLimiter.
func (l *Limiter) Settle(probe, answered bool) {
	if !probe {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.gate.Settle(answered)
}

// RateCounters returns the limiter's counters (polar.Stats).
func (l *Limiter) RateCounters() polar.RateCounters {
	return polar.RateCounters{Waits: l.waits.Load(), Refusals: l.refusals.Load(), Pauses: l.pauses.Load()}
}
