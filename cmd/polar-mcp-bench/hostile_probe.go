package main

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/tools"
)

// probeTimeout bounds one probe (a /healthz or a tool call) during and
// after an attack.
const probeTimeout = 3 * time.Second

// bystander is another caller than the attacker: it checks /healthz and
// makes a tool call over fresh connections (no keep-alive), as a client
// arriving during the attack would.
type bystander struct {
	base string
	hc   *http.Client
	c    *client.Client
}

// newBystander opens an initialized streamable-HTTP session for token.
func newBystander(ctx context.Context, base, token string) (*bystander, error) {
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: probeTimeout}
	c, err := dial(ctx, hc, base, "http", "", token)
	if err != nil {
		return nil, err
	}
	return &bystander{base: base, hc: hc, c: c}, nil
}

// healthy reports whether /healthz answered 200 within probeTimeout.
func (b *bystander) healthy(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, b.base+"/healthz", nil)
	res, err := b.hc.Do(req)
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

// call makes one subscription-status call (billing answers are not
// cached, so each reaches Polar) and classifies it.
func (b *bystander) call(ctx context.Context) (outcome, string) {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	req := mcp.CallToolRequest{}
	req.Params.Name = tools.NameSubscriptionStatus
	req.Params.Arguments = map[string]any{}
	return classify(b.c.CallTool(ctx, req))
}

// Close ends the session.
func (b *bystander) Close() { b.c.Close() }

// liveness is what the bystander saw during an attack.
type liveness struct {
	healthOK, healthN int
	callOK, callN     int
	sample            string // the first failed call's text
}

// watch probes once a second, and samples the server's fds and RSS every
// 250 ms, until stop is called; stop returns what it saw.
type watch struct {
	mu      sync.Mutex
	live    liveness
	peakFDs int
	peakRSS int64
	cancel  context.CancelFunc
	done    sync.WaitGroup
}

// startWatch starts probing t with b.
func startWatch(ctx context.Context, t *hostileTarget, b *bystander) *watch {
	ctx, cancel := context.WithCancel(ctx)
	w := &watch{cancel: cancel, peakFDs: t.fds(), peakRSS: t.rss()}
	w.done.Go(func() {
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			fds, rss := t.fds(), t.rss()
			w.mu.Lock()
			w.peakFDs, w.peakRSS = max(w.peakFDs, fds), max(w.peakRSS, rss)
			w.mu.Unlock()
		}
	})
	w.done.Go(func() {
		for {
			h := b.healthy(ctx)
			out, text := b.call(ctx)
			if ctx.Err() != nil {
				return // a probe cut short by stop is not counted
			}
			w.mu.Lock()
			w.live.healthN++
			w.live.callN++
			if h {
				w.live.healthOK++
			}
			if out == outcomeOK {
				w.live.callOK++
			} else if w.live.sample == "" {
				w.live.sample = text
			}
			w.mu.Unlock()
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
		}
	})
	return w
}

// stop ends the watch and returns what it saw.
func (w *watch) stop() (liveness, int, int64) {
	w.cancel()
	w.done.Wait()
	return w.live, w.peakFDs, w.peakRSS
}

// recovery polls until /healthz and a tool call both succeed, at most
// limit, and returns how long that took (-1: not within limit).
func recovery(ctx context.Context, b *bystander, limit time.Duration) time.Duration {
	start := time.Now()
	deadline := start.Add(limit)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if b.healthy(ctx) {
			if out, _ := b.call(ctx); out == outcomeOK {
				return time.Since(start)
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return -1
}
