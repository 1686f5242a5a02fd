package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// attackOutcome is what the attacker saw.
type attackOutcome struct {
	attempts int
	statuses map[string]int // answer -> how many
	held     int            // peak connections or streams the attacker held open
	notes    []string
	recover  time.Duration // set by attacks that measure their own recovery
	release  func()        // closes what the attacker still holds
}

// tally counts answers from many goroutines.
type tally struct {
	mu   sync.Mutex
	seen map[string]int
	open atomic.Int64
	peak atomic.Int64
}

func newTally() *tally { return &tally{seen: map[string]int{}} }

func (t *tally) add(answer string) {
	t.mu.Lock()
	t.seen[answer]++
	t.mu.Unlock()
}

// opened counts one more connection held, keeping the peak.
func (t *tally) opened() {
	n := t.open.Add(1)
	for p := t.peak.Load(); n > p && !t.peak.CompareAndSwap(p, n); p = t.peak.Load() {
	}
}

func (t *tally) closed() { t.open.Add(-1) }

// answer names a response by its status ("401"), or what happened instead.
func answer(res *http.Response, err error) string {
	var ne net.Error
	switch {
	case err == nil:
		return strconv.Itoa(res.StatusCode)
	case errors.As(err, &ne) && ne.Timeout():
		return "no answer (held)"
	default:
		return "closed without answer"
	}
}

// mcpRoute is the route of the MCP slow bodies.
var mcpRoute = []string{"POST /mcp"}

// everyRoute is one request of each route polar-mcp http serves besides
// MCP, for the slow bodies sent to all of them: webhooks (the single
// merchant's and an unknown connection's), the admin API, the agent
// panel's page and API, health, readiness, and a path nobody serves.
var everyRoute = []string{
	"POST /webhooks/polar", "POST /c/conn_unknown/webhooks/polar", "POST /admin/connections",
	"GET /agent/", "POST /agent/api/insights", "POST /agent/api/events", "GET /healthz", "GET /readyz",
	"POST /nowhere",
}

// slowBodies keeps n connections busy for hold: each sends the full
// headers of a request of one of routes ("METHOD /path", in turn)
// announcing a 200,000-byte body (with token as bearer unless ""), then
// one byte every `every`; when the server answers or closes, it waits a
// second and connects again. It counts the answers and the connections
// open at once.
func slowBodies(ctx context.Context, addr, token string, routes []string, n int, every, hold time.Duration) attackOutcome {
	tl := newTally()
	deadline := time.Now().Add(hold)
	heads := make([]string, len(routes))
	for i, route := range routes {
		head := route + " HTTP/1.1\r\nHost: " + addr + "\r\nContent-Type: application/json\r\n" +
			"Accept: application/json, text/event-stream\r\nContent-Length: 200000\r\n"
		if token != "" {
			head += "Authorization: Bearer " + token + "\r\n"
		}
		heads[i] = head + "\r\n"
	}
	var attempts atomic.Int64
	var wg sync.WaitGroup
	for i := range n {
		head := heads[i%len(heads)]
		wg.Go(func() {
			for time.Now().Before(deadline) && ctx.Err() == nil {
				attempts.Add(1)
				slowBody(ctx, addr, head, every, deadline, tl)
				select {
				case <-ctx.Done():
				case <-time.After(time.Second):
				}
			}
		})
	}
	wg.Wait()
	return attackOutcome{attempts: int(attempts.Load()), statuses: tl.seen, held: int(tl.peak.Load())}
}

// slowBody is one slow-body connection, until its answer or deadline.
func slowBody(ctx context.Context, addr, head string, every time.Duration, deadline time.Time, tl *tally) {
	conn, err := (&net.Dialer{Timeout: 5 * time.Second}).DialContext(ctx, "tcp", addr)
	if err != nil {
		tl.add("dial failed")
		return
	}
	defer conn.Close()
	tl.opened()
	defer tl.closed()
	_ = conn.SetDeadline(deadline)
	if _, err := io.WriteString(conn, head); err != nil {
		tl.add("closed without answer")
		return
	}
	answered := make(chan struct{})
	go dribble(conn, every, answered)
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	close(answered)
	tl.add(answer(res, err))
	if err == nil {
		res.Body.Close()
	}
}

// dribble writes one byte every `every` until the answer came or a write
// fails.
func dribble(conn net.Conn, every time.Duration, answered <-chan struct{}) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-answered:
			return
		case <-t.C:
			if _, err := conn.Write([]byte{' '}); err != nil {
				return
			}
		}
	}
}

// sseStreams opens n GET /sse streams with one token, conc at a time,
// keeps the accepted ones open and holds them for hold once all attempts
// are answered. release closes them.
func sseStreams(ctx context.Context, addr, token string, n, conc int, hold time.Duration) attackOutcome {
	tl := newTally()
	var mu sync.Mutex
	var held []net.Conn
	sem := make(chan struct{}, conc)
	var wg sync.WaitGroup
	req := "GET /sse HTTP/1.1\r\nHost: " + addr + "\r\nAccept: text/event-stream\r\nAuthorization: Bearer " + token + "\r\n\r\n"
	for i := 0; i < n && ctx.Err() == nil; i++ {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			conn, err := (&net.Dialer{Timeout: 5 * time.Second}).DialContext(ctx, "tcp", addr)
			if err != nil {
				tl.add("dial failed")
				return
			}
			_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
			_, err = io.WriteString(conn, req)
			var res *http.Response
			if err == nil {
				res, err = http.ReadResponse(bufio.NewReader(conn), nil)
			}
			tl.add(answer(res, err))
			if err == nil && res.StatusCode == http.StatusOK {
				_ = conn.SetDeadline(time.Time{})
				tl.opened()
				mu.Lock()
				held = append(held, conn)
				mu.Unlock()
				return
			}
			conn.Close()
		})
	}
	wg.Wait()
	select {
	case <-time.After(hold):
	case <-ctx.Done():
	}
	out := attackOutcome{attempts: n, statuses: tl.seen, held: int(tl.peak.Load())}
	out.release = func() {
		for _, c := range held {
			c.Close()
		}
	}
	out.notes = append(out.notes, fmt.Sprintf("%d streams open at the end of the hold", len(held)))
	return out
}
