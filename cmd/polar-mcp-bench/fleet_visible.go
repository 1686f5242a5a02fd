package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/tools"
)

// mutatedCustomer is the customer of mutatedSubscription (alice).
const mutatedCustomer = "alice@example.com"

// Watching a change: one question a pollEvery until it shows, at most
// watchFor.
const (
	pollEvery = 100 * time.Millisecond
	watchFor  = 15 * time.Second
)

// visibility is how long one change of mutatedSubscription took to show
// in its customer's answer, and how spent the budget was when it was made.
type visibility struct {
	at     time.Duration // into the run
	cancel bool          // the change set cancel_at_period_end (else cleared it)
	delay  time.Duration // until the answer showed it
	seen   bool          // it showed within watchFor
	cut    bool          // the run ended before it showed or watchFor passed
	busy   int           // answers "busy" while watching
	recent int           // requests the fake received in the 60 s before the change
	last   string        // the last answer that did not show it, when one was an error
}

// watcher asks mutatedCustomer's subscription status on a session of its
// own (not counted in the run) after each change.
type watcher struct {
	up    *upstream
	c     asker
	start time.Time

	mu      sync.Mutex
	wg      sync.WaitGroup
	out     []visibility
	busyMsg string // the last busy answer, to say what could not be fetched
}

func newWatcher(ctx context.Context, srv *httpServer, up *upstream) (*watcher, error) {
	tok, err := identity.Mint(srv.secret, identity.Claims{Role: caller.Customer, Email: mutatedCustomer, EmailVerified: true}, 6*time.Hour, time.Now())
	if err != nil {
		return nil, err
	}
	c, err := dial(ctx, newHTTPClient(2), srv.URL, "http", "", tok)
	if err != nil {
		return nil, fmt.Errorf("the watcher's session: %w", err)
	}
	return &watcher{up: up, c: asker{c: c}}, nil
}

// changed starts watching a change made now that set cancel_at_period_end
// to cancel.
func (w *watcher) changed(ctx context.Context, cancel bool) {
	now := time.Now()
	v := visibility{at: now.Sub(w.start), cancel: cancel, recent: requestsSince(w.up.Times(), now.Add(-time.Minute))}
	w.wg.Go(func() {
		for time.Since(now) < watchFor && ctx.Err() == nil {
			canceling, busy, err := w.status(ctx)
			switch {
			case err != nil:
				v.last = err.Error()
			case busy:
				v.busy++
			case err == nil && canceling == cancel:
				v.delay, v.seen = time.Since(now), true
			}
			if v.seen {
				break
			}
			time.Sleep(pollEvery)
		}
		v.cut = !v.seen && time.Since(now) < watchFor
		w.mu.Lock()
		w.out = append(w.out, v)
		w.mu.Unlock()
	})
}

// status asks the customer's subscription status: whether a subscription
// is canceling at its period's end, or whether the answer was busy.
func (w *watcher) status(ctx context.Context) (canceling, busy bool, err error) {
	req := mcp.CallToolRequest{}
	req.Params.Name = tools.NameSubscriptionStatus
	cctx, stop := context.WithTimeout(ctx, callTimeout)
	defer stop()
	r, err := w.c.c.CallTool(cctx, req)
	out, msg := classify(r, err)
	switch out {
	case outcomeBusy:
		w.mu.Lock()
		w.busyMsg = msg
		w.mu.Unlock()
		return false, true, nil
	case outcomeOK:
	default:
		return false, false, fmt.Errorf("%s", msg)
	}
	raw, err := json.Marshal(r.StructuredContent)
	if err != nil {
		return false, false, err
	}
	var st tools.SubscriptionStatusOutput
	if err := json.Unmarshal(raw, &st); err != nil {
		return false, false, err
	}
	for _, s := range st.Subscriptions {
		canceling = canceling || s.Canceling
	}
	return canceling, false, nil
}

// lastBusy is the last busy answer the watcher got.
func (w *watcher) lastBusy() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.busyMsg
}

// results waits for the watches in progress and returns them in order.
func (w *watcher) results() []visibility {
	w.wg.Wait()
	_ = w.c.c.Close()
	w.mu.Lock()
	defer w.mu.Unlock()
	out := append([]visibility(nil), w.out...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].at < out[j-1].at; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// requestsSince counts the times at or after from.
func requestsSince(times []time.Time, from time.Time) int {
	n := 0
	for _, t := range times {
		if !t.Before(from) {
			n++
		}
	}
	return n
}

// visibleSummary is the visibility column: each change's delay (or that
// it did not show within watchFor, or that the run ended first), and
// "(spent)" when the budget was at 95% of ceiling or more in the 60 s
// before the change.
func visibleSummary(vs []visibility, ceiling int) string {
	var parts []string
	for _, v := range vs {
		d := "not within " + watchFor.String()
		switch {
		case v.seen:
			d = fmt.Sprintf("%.1f s", v.delay.Seconds())
		case v.cut:
			d = "run ended first"
		}
		if v.recent*100 >= ceiling*95 {
			d += " (spent)"
		}
		parts = append(parts, fmt.Sprintf("%.0f s: %s", v.at.Seconds(), d))
	}
	return strings.Join(parts, "; ")
}
