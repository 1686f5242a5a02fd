package hosted

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"golang.org/x/time/rate"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// callSweepInterval is how often idle callers' buckets are dropped.
const callSweepInterval = time.Minute

// CallBuckets holds the callers' tool-call token buckets.
type CallBuckets interface {
	// Take spends one of key's tokens, or returns how long until one is
	// available (and spends nothing).
	Take(ctx context.Context, key string) time.Duration
}

// NewCallBuckets returns this process's buckets: perMinute tokens a
// minute per caller, in bursts of up to burst; nil when perMinute <= 0
// (no limit).
func NewCallBuckets(perMinute, burst int) CallBuckets {
	if perMinute <= 0 {
		return nil
	}
	return &callLimiter{
		every:   rate.Every(time.Minute / time.Duration(perMinute)),
		burst:   max(burst, 1),
		buckets: map[string]*rate.Limiter{},
	}
}

// LimitCalls returns tool middleware (for tools.Options) that gives each
// caller (connection, role, identity and token subject, as the stream and
// session limits count them) a token bucket of b: this process's
// (NewCallBuckets) or one every instance shares. A call beyond it is
// answered with an isError result saying when to try again, before the
// tool runs, so it costs no Polar request; other callers are unaffected.
// Calls without a caller in their context (stdio) are not limited, nor is
// anything when b is nil.
func LimitCalls(b CallBuckets) server.ToolHandlerMiddleware {
	if b == nil {
		return func(next server.ToolHandlerFunc) server.ToolHandlerFunc { return next }
	}
	return func(next server.ToolHandlerFunc) server.ToolHandlerFunc {
		return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			id, ok := caller.From(ctx)
			if !ok {
				return next(ctx, req)
			}
			if wait := b.Take(ctx, callerKey(id)); wait > 0 {
				seconds := int(math.Ceil(wait.Seconds()))
				unit := "seconds"
				if seconds == 1 {
					unit = "second"
				}
				res := mcp.NewToolResultError(fmt.Sprintf("You're sending requests too quickly; try again in %d %s.", seconds, unit))
				res.Meta = mcp.NewMetaFromMap(map[string]any{retryAfterKey: seconds})
				return res, nil
			}
			return next(ctx, req)
		}
	}
}

// callLimiter holds the callers' token buckets.
type callLimiter struct {
	every     rate.Limit
	burst     int
	mu        sync.Mutex
	buckets   map[string]*rate.Limiter
	lastSweep time.Time
}

// Take implements CallBuckets.
func (l *callLimiter) Take(_ context.Context, key string) time.Duration {
	return l.take(key, time.Now())
}

func (l *callLimiter) take(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	b, ok := l.buckets[key]
	if !ok {
		b = rate.NewLimiter(l.every, l.burst)
		l.buckets[key] = b
	}
	r := b.ReserveN(now, 1)
	if wait := r.DelayFrom(now); wait > 0 {
		r.CancelAt(now)
		return wait
	}
	return 0
}

// sweep drops the buckets that have refilled: a full bucket is the same as
// none, so memory stays bounded by the callers active in the last refill
// period.
func (l *callLimiter) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < callSweepInterval {
		return
	}
	l.lastSweep = now
	for key, b := range l.buckets {
		if b.TokensAt(now) >= float64(l.burst) {
			delete(l.buckets, key)
		}
	}
}
