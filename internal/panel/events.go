package panel

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// DefaultKeepAlive is how often NewEvents writes a comment on a quiet
// stream, so proxies keep it open.
const DefaultKeepAlive = 25 * time.Second

// SubscribeFunc subscribes to changes of the customer with email: a
// value on the channel means "the insights changed, fetch them again";
// a closed channel ends the stream. The func it returns unsubscribes.
// An *APIError refuses the stream with its status (429 when the caller's
// call budget is spent); other errors end it at once.
type SubscribeFunc func(ctx context.Context, email string) (<-chan struct{}, func(), error)

// EventsConfig configures NewEvents.
type EventsConfig struct {
	Subscribe SubscribeFunc
	KeepAlive time.Duration // DefaultKeepAlive when zero
}

// NewEvents serves POST api/events {"email"} as Server-Sent Events: first
// "event: ready", then "event: update" for each change Subscribe
// reports, and a ": keep-alive" comment every KeepAlive. The stream ends
// when the request's context ends or the subscription's channel closes.
// It refuses like NewInsightsAPI (405, 401 without a Bearer token, 400).
func NewEvents(cfg EventsConfig) http.Handler {
	every := cfg.KeepAlive
	if every <= 0 {
		every = DefaultKeepAlive
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		email := preflight(w, r)
		if email == "" {
			return
		}
		if cfg.Subscribe == nil {
			WriteError(w, http.StatusNotImplemented, "no_live_updates", "live updates are not available; use Refresh")
			return
		}
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		updates, unsubscribe, err := cfg.Subscribe(ctx, email)
		if unsubscribe != nil {
			defer unsubscribe()
		}
		var aerr *APIError
		if errors.As(err, &aerr) {
			WriteError(w, aerr.Status, aerr.Code, aerr.Message)
			return
		}
		if err != nil {
			updates = nil
			cancel() // the stream starts and ends at once
		}
		_ = WriteEvents(ctx, w, updates, every)
	})
}

// WriteEvents writes an SSE stream to w: "event: ready", then
// "event: update" per value on updates and ": keep-alive" every
// keepAlive, flushing each. It returns nil when ctx ends or updates
// closes, or the first write error.
func WriteEvents(ctx context.Context, w http.ResponseWriter, updates <-chan struct{}, keepAlive time.Duration) error {
	rc := http.NewResponseController(w)
	// A long-lived stream must outlive the server's WriteTimeout.
	_ = rc.SetWriteDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	send := func(s string) error {
		if _, err := fmt.Fprint(w, s); err != nil {
			return err
		}
		return rc.Flush()
	}
	if err := send("retry: 5000\nevent: ready\ndata: {}\n\n"); err != nil {
		return err
	}
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case _, ok := <-updates:
			if !ok {
				return nil
			}
			if err := send("event: update\ndata: {}\n\n"); err != nil {
				return err
			}
		case <-tick.C:
			if err := send(": keep-alive\n\n"); err != nil {
				return err
			}
		}
	}
}
