package hosted

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

// waitUntil polls cond until it holds, failing the test after a while.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting until %s", what)
}

func TestShutdownFinishesCallsInFlight(t *testing.T) {
	for _, tr := range []struct{ kind, version string }{{"sse", "2024-11-05"}, {"http", "2025-11-25"}, {"http", "2026-07-28"}} {
		t.Run(tr.kind+"/"+tr.version, func(t *testing.T) {
			e := newEcho()
			s := serve(t, e.srv, nil)
			tok := customerToken(t, "alice@example.com")
			c := connect(t, s.url, tr.kind, tr.version, tok)
			idle := openStream(t, s.url, "/sse", agentToken(t))

			type outcome struct {
				text string
				err  error
			}
			result := make(chan outcome, 1)
			callCtx, cancelCall := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancelCall()
			go func() {
				text, err := callText(callCtx, c, "slow")
				result <- outcome{text, err}
			}()
			select {
			case <-e.started:
			case <-time.After(10 * time.Second):
				t.Fatal("the call never started")
			}

			shutdown := make(chan error, 1)
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				shutdown <- s.h.Shutdown(ctx)
			}()
			waitUntil(t, "new calls are refused", func() bool {
				resp, _ := post(t, s.url+"/mcp", tok, initializeBody, nil)
				return resp.StatusCode == http.StatusServiceUnavailable
			})
			select {
			case err := <-shutdown:
				t.Fatalf("Shutdown returned (%v) while a call was in flight", err)
			default:
			}

			close(e.release)
			got := <-result
			if got.err != nil || got.text != `{"role":"customer","email":"alice@example.com","connection":""}` {
				t.Fatalf("call in flight during shutdown: %q, %v", got.text, got.err)
			}
			if err := <-shutdown; err != nil {
				t.Fatalf("Shutdown: %v", err)
			}
			// Idle streams are closed once the calls are done.
			for range idle.events {
			}
		})
	}
}

func TestShutdownGivesUpWhenItsContextEnds(t *testing.T) {
	e := newEcho()
	s := serve(t, e.srv, nil)
	c := connect(t, s.url, "sse", "2025-11-25", agentToken(t))
	callCtx, cancelCall := context.WithCancel(context.Background())
	defer cancelCall()
	go func() { _, _ = callText(callCtx, c, "slow") }()
	<-e.started
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := s.h.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Shutdown = %v, want the context's error", err)
	}
	close(e.release)
}
