package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
)

// callFlood makes n tool calls from one token in waves, one wave a
// second, each wave's calls conc at a time as fast as they are answered,
// and counts what came back and what the fake Polar received meanwhile.
func callFlood(ctx context.Context, t *hostileTarget, token string, n, waves, conc int) (attackOutcome, error) {
	flooder, err := newBystander(ctx, t.srv.URL, token)
	if err != nil {
		return attackOutcome{}, err
	}
	defer flooder.Close()
	before := t.up.Requests()
	if out, text := flooder.call(ctx); out != outcomeOK { // looks the customer up once
		return attackOutcome{}, fmt.Errorf("flooder's first call failed: %s", text)
	}
	perCall := t.up.Requests() - before
	tl := newTally()
	start, sent := time.Now(), t.up.Requests()
	sem := make(chan struct{}, conc)
	var wg sync.WaitGroup
	for i := 0; i < n && ctx.Err() == nil; i++ {
		if wave := time.Duration(i*waves/n) * time.Second; time.Since(start) < wave {
			time.Sleep(wave - time.Since(start))
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			out, text := flooder.call(ctx)
			switch {
			case out == outcomeOK:
				tl.add("answered")
			case strings.Contains(text, "too quickly"):
				tl.add(`"too quickly"`)
			default:
				tl.add("other: " + outcomeName(out))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	received := t.up.Requests() - sent
	o := attackOutcome{attempts: n, statuses: tl.seen}
	o.notes = append(o.notes, fmt.Sprintf("%d calls in %d waves over %s; the fake received %d requests meanwhile (the flooder's first call, before, cost %d, a customer lookup included; identical reads in flight are made once)",
		n, waves, elapsed.Round(time.Millisecond), received, perCall))
	return o, nil
}

// retryAfterDay makes the fake answer one 429 with Retry-After: 86400,
// then calls once a second as prober until a call succeeds (at most
// limit), and reports how long the answers stayed "busy".
func retryAfterDay(ctx context.Context, t *hostileTarget, prober *bystander, limit time.Duration) attackOutcome {
	t.up.fake.InjectFault(fakepolar.Fault{Status: 429, RetryAfter: 24 * time.Hour, Times: 1})
	tl := newTally()
	sent := t.up.Requests()
	start := time.Now()
	o := attackOutcome{recover: -1}
	for time.Since(start) < limit && ctx.Err() == nil {
		out, text := prober.call(ctx)
		o.attempts++
		if out == outcomeOK {
			tl.add("answered")
			o.recover = time.Since(start)
			break
		}
		name := outcomeName(out)
		if out == outcomeBusy {
			name = `"busy"`
		} else if len(o.notes) == 0 {
			o.notes = append(o.notes, "first non-busy failure: "+text)
		}
		tl.add(name)
		time.Sleep(time.Second)
	}
	o.statuses = tl.seen
	o.notes = append(o.notes, fmt.Sprintf("the fake received %d requests from the 429 to the first answer", t.up.Requests()-sent))
	return o
}

// redirectAway makes the fake answer every request with a 302 to another
// loopback port while calls tool calls are made, and reports the answers
// and what the other port received.
func redirectAway(ctx context.Context, t *hostileTarget, prober *bystander, calls int) attackOutcome {
	t.redirects.Store(1 << 20)
	defer t.redirects.Store(0)
	tl := newTally()
	for range calls {
		logged := logSize(t.srv.log)
		out, text := prober.call(ctx)
		switch {
		case out == outcomeOK:
			tl.add("answered")
		case strings.Contains(text, "redirect"),
			// A customer is never told the merchant-side cause; the
			// server's log line of that failure names it.
			strings.Contains(text, "setup problem on our side") && strings.Contains(logSince(t.srv.log, logged), "redirect"):
			tl.add("redirect error")
		default:
			tl.add("other: " + text)
		}
	}
	o := attackOutcome{attempts: calls, statuses: tl.seen}
	o.notes = append(o.notes, fmt.Sprintf("the other port received %d requests, %d with an Authorization header",
		t.strayReq.Load(), t.strayAuth.Load()))
	return o
}

// logSize is the length of the log file at path (0 when unreadable).
func logSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// logSince is what the log file at path holds past offset.
func logSince(path string, offset int64) string {
	b, err := os.ReadFile(path)
	if err != nil || int64(len(b)) < offset {
		return ""
	}
	return string(b[offset:])
}
