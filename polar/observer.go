package polar

import (
	"context"
	"time"
)

// Observer is told of every request a client sends to Polar and of every
// rate limiter decision, for metrics and traces (package observe). Its
// methods are called on the request's goroutine and must not block.
// Events carry operation ids, statuses and durations: never a token, an
// email or a URL.
type Observer interface {
	// OnRequest reports one HTTP request to Polar once it has ended.
	OnRequest(ctx context.Context, e RequestEvent)
	// OnLimit reports the limiter's decision before a request.
	OnLimit(ctx context.Context, e LimitEvent)
}

// RequestEvent is one HTTP request to Polar.
type RequestEvent struct {
	// Operation is polar-go's operation id, e.g. "customers:list".
	Operation string
	// Status is the HTTP status of Polar's answer; 0 when none came
	// (network failure, timeout, refused redirect).
	Status int
	// Attempt is 1 for the first request of a call, 2 for its first
	// retry, and so on.
	Attempt int
	// Start is when the request was sent.
	Start time.Time
	// Duration is how long it took.
	Duration time.Duration
}

// LimitEvent is a rate limiter decision about one request.
type LimitEvent struct {
	// Operation is the operation id of the request.
	Operation string
	// Start is when the request asked for a slot.
	Start time.Time
	// Duration is how long the decision took, waits included.
	Duration time.Duration
	// Waited reports that the request waited for a slot.
	Waited bool
	// Refused reports that no slot was free in time: the request was
	// not sent (KindRateLimited).
	Refused bool
}

// nopObserver observes nothing.
type nopObserver struct{}

func (nopObserver) OnRequest(context.Context, RequestEvent) {}
func (nopObserver) OnLimit(context.Context, LimitEvent)     {}
