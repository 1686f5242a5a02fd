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
//
// While slots are short, the requests waiting for one take turns by
// verified caller (fairQueue): a freed slot goes to the next caller with
// a request waiting, so that many customers' cold questions are served
// before one customer's repeated ones, and no caller waits behind more
// than one request of each other caller. A request whose wait would end
// before the next slot frees is refused at once, naming its operation.
// Answers kept by the cache never reach the Limiter.
type Limiter struct {
	budget  Budget
	org     string
	maxWait time.Duration

	mu   sync.Mutex
	gate polar.ProbeGate // half-open after a 429 here

	fair fairQueue // the requests waiting for a slot, in turns

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
		if probe {
			return true, l.reserveProbe(ctx, opID, limit)
		}
		slot, err := l.take(ctx, opID, giveUp)
		if err != nil {
			return false, err
		}
		if l.halfOpen() {
			// A 429 arrived while this request waited its turn: the
			// probe goes first.
			l.budget.Release(context.WithoutCancel(ctx), l.org, slot)
			if limit = time.Until(giveUp); limit <= 0 {
				l.refusals.Add(1)
				return false, l.refusal(opID, time.Second)
			}
			continue
		}
		return false, nil
	}
}

// reserveProbe books the probe's slot, at most limit away, and sleeps
// until it. The probe is alone: the others wait for its answer.
func (l *Limiter) reserveProbe(ctx context.Context, opID string, limit time.Duration) error {
	slot, err := l.budget.Reserve(ctx, l.org, max(limit, 0))
	if err != nil {
		l.Settle(true, false)
		return &polar.Error{Kind: polar.KindUnavailable, Operation: opID, Err: err}
	}
	if !slot.OK {
		l.Settle(true, false)
		l.refusals.Add(1)
		return l.refusal(opID, slot.Wait)
	}
	if slot.Wait > 0 {
		l.waits.Add(1)
		if err := polar.Sleep(ctx, slot.Wait); err != nil {
			l.budget.Release(context.WithoutCancel(ctx), l.org, slot)
			l.Settle(true, false)
			return &polar.Error{Kind: polar.KindUnavailable, Operation: opID, Err: err}
		}
	}
	return nil
}

// take books a slot for a request that is not a probe: at once when one
// is due and nobody waits, else in the caller's turn (fairQueue) if a
// slot frees before giveUp. Otherwise it returns the refusal, which names
// the operation that could not be sent.
func (l *Limiter) take(ctx context.Context, opID string, giveUp time.Time) (Slot, error) {
	now := time.Now()
	limit := giveUp.Sub(now)
	if l.fair.Waiting() == 0 || limit <= 0 {
		slot, err := l.budget.Reserve(ctx, l.org, 0)
		switch {
		case err != nil:
			return Slot{}, &polar.Error{Kind: polar.KindUnavailable, Operation: opID, Err: err}
		case slot.OK:
			return slot, nil
		case slot.Wait > limit:
			l.refusals.Add(1)
			return Slot{}, l.refusal(opID, slot.Wait)
		}
	}
	w, wait, start := l.fair.join(fairKey(ctx), giveUp, now)
	if w == nil {
		l.refusals.Add(1)
		return Slot{}, l.refusal(opID, wait)
	}
	l.waits.Add(1)
	if start {
		go l.pump()
	}
	t := time.NewTimer(time.Until(giveUp))
	defer t.Stop()
	var r fairResult
	select {
	case r = <-w.done:
	case <-ctx.Done():
		if !l.fair.leave(w) {
			if r = <-w.done; r.slot.OK {
				l.budget.Release(context.WithoutCancel(ctx), l.org, r.slot)
			}
		}
		return Slot{}, &polar.Error{Kind: polar.KindUnavailable, Operation: opID, Err: ctx.Err()}
	case <-t.C:
		if l.fair.leave(w) {
			l.refusals.Add(1)
			return Slot{}, l.refusal(opID, time.Until(l.fair.freeAt()))
		}
		r = <-w.done
	}
	switch {
	case r.err != nil:
		return Slot{}, &polar.Error{Kind: polar.KindUnavailable, Operation: opID, Err: r.err}
	case !r.slot.OK:
		l.refusals.Add(1)
		return Slot{}, l.refusal(opID, r.wait)
	}
	return r.slot, nil
}

// halfOpen reports whether a 429 made requests go through a probe.
func (l *Limiter) halfOpen() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.gate.HalfOpen()
}

// Waiting returns how many of the organization's requests wait for a
// slot in this process.
func (l *Limiter) Waiting() int { return l.fair.Waiting() }

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
