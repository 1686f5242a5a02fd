package fleet

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"time"
)

// LocalBudget is a Budget kept in this process only: the budget of a
// single instance, and the fallback of a RedisBudget. It enforces the
// same hard ceiling as the Redis one.
type LocalBudget struct {
	limits Limits
	now    func() time.Time

	mu   sync.Mutex
	orgs map[string]*orgLog
}

var _ Budget = (*LocalBudget)(nil)

// orgLog is one organization's slots, oldest first, and its pause. Its
// mutex is held from reading the log to booking in it.
type orgLog struct {
	mu     sync.Mutex
	slots  []localSlot
	paused time.Time
	seq    uint64
}

type localSlot struct {
	at       time.Time
	id       uint64
	mirrored bool // also booked in Redis
}

// NewLocalBudget returns a LocalBudget; now is the clock (time.Now when nil).
func NewLocalBudget(limits Limits, now func() time.Time) *LocalBudget {
	if now == nil {
		now = time.Now
	}
	return &LocalBudget{limits: limits, now: now, orgs: map[string]*orgLog{}}
}

// log returns org's log, locked.
func (b *LocalBudget) log(org string) *orgLog {
	b.mu.Lock()
	l := b.orgs[org]
	if l == nil {
		l = &orgLog{}
		b.orgs[org] = l
	}
	b.mu.Unlock()
	l.mu.Lock()
	return l
}

// earliest returns the first time a slot may be booked at, no earlier
// than now, after dropping the slots that can no longer count.
func (l *orgLog) earliest(now time.Time, limit int, window time.Duration) time.Time {
	drop := 0
	for drop < len(l.slots) && !l.slots[drop].at.After(now.Add(-window)) {
		drop++
	}
	l.slots = slices.Delete(l.slots, 0, drop)
	s := later(now, l.paused)
	if n := len(l.slots); n > 0 {
		s = later(s, l.slots[n-1].at)
		if n >= limit {
			s = later(s, l.slots[n-limit].at.Add(window))
		}
	}
	return s
}

// add books a slot at s, which is not before any slot in the log.
func (l *orgLog) add(s time.Time, mirrored bool) string {
	l.seq++
	l.slots = append(l.slots, localSlot{at: s, id: l.seq, mirrored: mirrored})
	return strconv.FormatUint(l.seq, 10)
}

// Reserve implements Budget.
func (b *LocalBudget) Reserve(ctx context.Context, org string, maxWait time.Duration) (Slot, error) {
	if err := ctx.Err(); err != nil {
		return Slot{}, err
	}
	return b.reserve(org, maxWait, b.limits.limit(org)), nil
}

func (b *LocalBudget) reserve(org string, maxWait time.Duration, limit int) Slot {
	now := b.now()
	l := b.log(org)
	defer l.mu.Unlock()
	s := l.earliest(now, limit, b.limits.window())
	wait := s.Sub(now)
	if wait > maxWait {
		return Slot{Wait: wait}
	}
	return Slot{Wait: wait, OK: true, lid: l.add(s, false)}
}

// Release implements Budget.
func (b *LocalBudget) Release(_ context.Context, org string, s Slot) {
	if !s.OK || s.lid == "" {
		return
	}
	l := b.log(org)
	defer l.mu.Unlock()
	l.slots = slices.DeleteFunc(l.slots, func(x localSlot) bool {
		return strconv.FormatUint(x.id, 10) == s.lid
	})
}

// Pause implements Budget.
func (b *LocalBudget) Pause(_ context.Context, org string, d time.Duration) {
	b.pauseUntil(org, b.now().Add(clampPause(d)))
}

func (b *LocalBudget) pauseUntil(org string, until time.Time) {
	l := b.log(org)
	defer l.mu.Unlock()
	l.paused = later(l.paused, until)
}

// PausedUntil implements Budget.
func (b *LocalBudget) PausedUntil(_ context.Context, org string) time.Time {
	l := b.log(org)
	defer l.mu.Unlock()
	if !l.paused.After(b.now()) {
		return time.Time{}
	}
	return l.paused
}

// recent returns, per organization, the slots of the last window from
// now on: what Redis must learn when it answers again.
func (b *LocalBudget) recent() map[string][]localSlot {
	b.mu.Lock()
	orgs := make(map[string]*orgLog, len(b.orgs))
	for k, v := range b.orgs {
		orgs[k] = v
	}
	b.mu.Unlock()
	from := b.now().Add(-b.limits.window())
	out := map[string][]localSlot{}
	for org, l := range orgs {
		l.mu.Lock()
		for _, s := range l.slots {
			if s.at.After(from) && !s.mirrored {
				out[org] = append(out[org], s)
			}
		}
		l.mu.Unlock()
	}
	return out
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
