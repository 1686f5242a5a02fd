package polar

// Client-side rate limiting
//
// Polar allows each organization a number of requests per minute (500 in
// production, 100 in sandbox) and answers 429 with Retry-After beyond. A
// Limiter keeps one organization under that budget before Polar has to
// refuse anything. SDKClient.do takes a slot from it before every HTTP
// request (each page and each retry counts), and a 429 pauses it until
// Retry-After (at most MaxRateLimitPause), so no request of that
// organization is sent meanwhile; then one probe request goes first
// (limiter_pause.go).
//
// The Limiter is a token bucket written as GCRA: tat ("theoretical
// arrival time") is when the bucket would be full again. A request may be
// sent once tat-tolerance has passed, and books interval more. With the
// default headroom (10%) and burst (10% of the budget), no minute ever sees
// more than 495 requests in production or 99 in sandbox.
//
// A request waits for its slot at most MaxWait, and never past its
// context's deadline; otherwise it is refused at once with a
// KindRateLimited *Error saying when a slot frees, and nothing is sent.

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/polar-mcp/polar-mcp/config"
)

// Published per-organization request limits, and the limiter defaults.
const (
	ProductionRequestsPerMinute = 500
	SandboxRequestsPerMinute    = 100
	// DefaultHeadroom is the fraction of the limit left unused.
	DefaultHeadroom = 0.1
	// DefaultRateLimitWait is the longest a request waits for a slot.
	DefaultRateLimitWait = 2 * time.Second
	// MaxRateLimitPause bounds the pause after a 429, whatever its
	// Retry-After, and any wait an *Error reports.
	MaxRateLimitPause = 2 * time.Minute
	// minPause is how long a 429 without a usable Retry-After pauses.
	minPause = time.Second
)

// ErrBudgetSpent is the cause of a KindRateLimited *Error produced by the
// Limiter: the request was not sent.
var ErrBudgetSpent = errors.New("request not sent: the organization's request budget is spent")

// LimiterConfig configures NewLimiter.
type LimiterConfig struct {
	// RequestsPerMinute is the budget to enforce, headroom already taken
	// off (see RateBudget). Zero or less means RateBudget of a default
	// production Config.
	RequestsPerMinute int
	// Burst is how many requests may be sent at once after a quiet time.
	// Zero or less means a tenth of RequestsPerMinute (at least 1).
	Burst int
	// MaxWait is the longest a request waits for a slot before it is
	// refused. Zero means DefaultRateLimitWait; negative means never wait.
	MaxWait time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Limiter paces the requests of one Polar organization. Share one Limiter
// between every client built for the same organization (Config.Limiter).
// It is safe for concurrent use.
type Limiter struct {
	interval  time.Duration // time one request books
	tolerance time.Duration // (burst-1) * interval
	maxWait   time.Duration
	now       func() time.Time

	mu          sync.Mutex
	tat         time.Time
	pausedUntil time.Time
	gate        ProbeGate // half-open after a 429

	waits    atomic.Uint64
	refusals atomic.Uint64
	pauses   atomic.Uint64
}

// NewLimiter returns a Limiter for cfg.
func NewLimiter(cfg LimiterConfig) *Limiter {
	perMinute := cfg.RequestsPerMinute
	if perMinute <= 0 {
		perMinute = RateBudget(Config{})
	}
	burst := cfg.Burst
	if burst <= 0 {
		burst = max(perMinute/10, 1)
	}
	l := &Limiter{
		interval: time.Minute / time.Duration(perMinute),
		maxWait:  cfg.MaxWait,
		now:      cfg.Now,
	}
	l.tolerance = time.Duration(burst-1) * l.interval
	switch {
	case l.maxWait == 0:
		l.maxWait = DefaultRateLimitWait
	case l.maxWait < 0:
		l.maxWait = 0
	}
	if l.now == nil {
		l.now = time.Now
	}
	return l
}

// RateBudget returns the requests per minute New lets the organization of
// cfg send: cfg.RequestsPerMinute, or the published limit of its
// environment (production for a custom ServerURL), less cfg.Headroom. It
// returns 0 when cfg.RequestsPerMinute is negative: no limiting.
func RateBudget(cfg Config) int {
	limit := cfg.RequestsPerMinute
	switch {
	case limit < 0:
		return 0
	case limit > 0:
	case cfg.ServerURL == "" && strings.EqualFold(strings.TrimSpace(cfg.Environment), config.Sandbox):
		limit = SandboxRequestsPerMinute
	default:
		limit = ProductionRequestsPerMinute
	}
	headroom := cfg.Headroom
	switch {
	case headroom == 0:
		headroom = DefaultHeadroom
	case headroom < 0 || math.IsNaN(headroom):
		headroom = 0
	case headroom > 0.9:
		headroom = 0.9
	}
	return max(int(float64(limit)*(1-headroom)), 1)
}

// wait takes a slot for one request of operation opID, waiting for it if
// it frees within MaxWait and ctx's deadline. A nil Limiter never waits.
// waited reports that it slept for a slot. probe reports that the
// request is the one probe let through after a pause (limiter_pause.go);
// its caller must then settle it.
func (l *Limiter) wait(ctx context.Context, opID string) (probe, waited bool, err error) {
	if l == nil {
		return false, false, nil
	}
	if err := ctx.Err(); err != nil {
		return false, false, &Error{Kind: KindUnavailable, Operation: opID, Err: err}
	}
	limit := l.maxWait
	if deadline, ok := ctx.Deadline(); ok {
		limit = min(limit, time.Until(deadline))
	}
	giveUp := time.Now().Add(limit) // real time: waits below sleep for real
	for {
		r := l.reserve(limit)
		switch {
		case r.refused:
			l.refusals.Add(1)
			return false, false, &Error{Kind: KindRateLimited, Operation: opID,
				RetryAfter: min(r.wait, MaxRateLimitPause), Err: ErrBudgetSpent}
		case r.settled != nil:
			// Another request is probing after a pause: wait for its
			// answer, then try again.
			if err := AwaitProbe(ctx, r.settled, limit); err != nil {
				return false, false, &Error{Kind: KindUnavailable, Operation: opID, Err: err}
			}
			limit = max(time.Until(giveUp), 0)
			continue
		}
		if r.wait <= 0 {
			return r.probe, false, nil
		}
		l.waits.Add(1)
		if err := Sleep(ctx, r.wait); err != nil {
			l.release()
			l.settle(r.probe, false)
			return false, true, &Error{Kind: KindUnavailable, Operation: opID, Err: err}
		}
		return r.probe, true, nil
	}
}

// reservation is reserve's verdict.
type reservation struct {
	wait    time.Duration   // until the slot, or until one may free
	refused bool            // no slot within the limit
	probe   bool            // the slot is the probe after a pause
	settled <-chan struct{} // closed when the probe in flight is settled
}

// reserve books the next slot if it is at most limit away.
func (l *Limiter) reserve(limit time.Duration) reservation {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.gate.HalfOpen() {
		return l.reserveProbe(now, limit)
	}
	base := later(l.tat, now)
	sendAt := later(base.Add(-l.tolerance), l.pausedUntil)
	wait := max(sendAt.Sub(now), 0)
	if wait > limit {
		return reservation{wait: wait, refused: true}
	}
	l.tat = later(base, sendAt.Add(l.tolerance)).Add(l.interval)
	return reservation{wait: wait}
}

// release gives back a slot booked by a request that was never sent.
func (l *Limiter) release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.tat = l.tat.Add(-l.interval)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// Lower paces l at perMinute from now on when that is slower than its
// budget: an organization's budget is the lowest any of its connections
// asks for. A higher perMinute changes nothing.
func (l *Limiter) Lower(perMinute int) {
	if l == nil || perMinute <= 0 {
		return
	}
	interval := time.Minute / time.Duration(perMinute)
	l.mu.Lock()
	defer l.mu.Unlock()
	if interval <= l.interval {
		return
	}
	l.interval = interval
	l.tolerance = time.Duration(max(perMinute/10, 1)-1) * interval
}
