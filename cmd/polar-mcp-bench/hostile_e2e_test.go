//go:build e2e

package main

import (
	"context"
	"strconv"
	"testing"
	"time"
)

// TestHostileBuildingBlocks runs the hostile scenario's attacks in a
// reduced form against the built binary and checks what the server does
// (refusals, limits, other callers served), never how fast.
func TestHostileBuildingBlocks(t *testing.T) {
	if testing.Short() {
		t.Skip("builds polar-mcp and spawns it for each attack: skipped under -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	binary, err := buildBinary(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	start := func(t *testing.T, env ...string) (*hostileTarget, *bystander) {
		t.Helper()
		tg, err := startTarget(ctx, binary, env)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(tg.Stop)
		token, err := tg.token(bystanderEmail)
		if err != nil {
			t.Fatal(err)
		}
		b, err := newBystander(ctx, tg.srv.URL, token)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(b.Close)
		return tg, b
	}
	attackerToken := func(t *testing.T, tg *hostileTarget) string {
		tok, err := tg.token(attackerEmail)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}

	t.Run("slow bodies without a token are refused and others are served", func(t *testing.T) {
		tg, b := start(t, "POLAR_MCP_MAX_CONNECTIONS=10")
		w := startWatch(ctx, tg, b)
		out := slowBodies(ctx, hostOf(tg.srv.URL), "", mcpRoute, 20, 500*time.Millisecond, 2500*time.Millisecond)
		live, _, _ := w.stop()
		if out.statuses["401"] == 0 {
			t.Errorf("slow bodies got %v, want 401s", out.statuses)
		}
		for got := range out.statuses {
			if _, err := strconv.Atoi(got); err == nil && got != "401" {
				t.Errorf("a slow body without a token was answered %s, want 401", got)
			}
		}
		if live.healthN == 0 || live.healthOK != live.healthN || live.callOK != live.callN {
			t.Errorf("during the attack the bystander saw %+v, want every /healthz and call answered", live)
		}
	})

	t.Run("one token gets 10 streams, the rest 429", func(t *testing.T) {
		tg, b := start(t)
		out := sseStreams(ctx, hostOf(tg.srv.URL), attackerToken(t, tg), 12, 12, 0)
		defer out.release()
		if out.statuses["200"] != 10 || out.statuses["429"] != 2 {
			t.Errorf("12 streams got %v, want 10× 200 and 2× 429", out.statuses)
		}
		if out, text := b.call(ctx); out != outcomeOK {
			t.Errorf("another caller's call while the streams are open: %s", text)
		}
	})

	t.Run("sessions are capped and a huge clientInfo is refused", func(t *testing.T) {
		tg, b := start(t, "POLAR_MCP_MAX_SESSIONS_PER_CALLER=5")
		out := initializeMany(ctx, tg.srv.URL, attackerToken(t, tg), 12, 4, 0)
		if out.held != 5 || out.statuses["429"] != 7 {
			t.Errorf("12 initialize got %v (%d sessions), want 5 sessions and 7× 429", out.statuses, out.held)
		}
		big := initializeMany(ctx, tg.srv.URL, attackerToken(t, tg), 2, 2, 900_000)
		if big.statuses["413"] != 2 {
			t.Errorf("900 KB clientInfo got %v, want 2× 413", big.statuses)
		}
		if !b.healthy(ctx) {
			t.Error("/healthz does not answer after the sessions")
		}
	})

	t.Run("a tool-call flood is told to slow down", func(t *testing.T) {
		tg, b := start(t, "POLAR_MCP_CALL_BURST=3")
		out, err := callFlood(ctx, tg, attackerToken(t, tg), 10, 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		if out.statuses[`"too quickly"`] == 0 || out.statuses[`"too quickly"`]+out.statuses["answered"] != 10 {
			t.Errorf("a flood of 10 with a burst of 3 got %v, want answers and \"too quickly\" only", out.statuses)
		}
		if out, text := b.call(ctx); out != outcomeOK {
			t.Errorf("another caller's call after the flood: %s", text)
		}
	})

	t.Run("a redirect to another port is refused without sending the token", func(t *testing.T) {
		tg, b := start(t)
		out := redirectAway(ctx, tg, b, 2)
		if out.statuses["redirect error"] != 2 {
			t.Errorf("calls redirected away got %v, want 2 redirect errors", out.statuses)
		}
		if n := tg.strayAuth.Load(); n != 0 {
			t.Errorf("the other port received %d requests with an Authorization header", n)
		}
		if out, text := b.call(ctx); out != outcomeOK {
			t.Errorf("a call once Polar stops redirecting: %s", text)
		}
	})
}
