package fleet_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/polar-mcp/polar-mcp/polar"
)

// refused checks err is a limiter refusal (nothing sent) and returns
// the wait it tells the user.
func refused(t *testing.T, err error) time.Duration {
	t.Helper()
	pe, ok := polar.AsError(err)
	if !ok || pe.Kind != polar.KindRateLimited || !errors.Is(err, polar.ErrBudgetSpent) {
		t.Fatalf("err = %v, want a KindRateLimited refusal with ErrBudgetSpent", err)
	}
	if pe.RetryAfter <= 0 {
		t.Errorf("the refusal says to retry after %v, want a positive wait", pe.RetryAfter)
	}
	return pe.RetryAfter
}

// TestSpentSharedBudgetRefusesWithoutSending: two instances share 3
// requests a minute; once the first sent 3, the second is refused and
// sends nothing.
func TestSpentSharedBudgetRefusesWithoutSending(t *testing.T) {
	prefix := keyPrefix(t)
	a := newInstance(t, testRedis(t), prefix, 3, 2, -1)
	b := newInstance(t, testRedis(t), prefix, 3, 2, -1)
	fake, url := fakePolar(t, 0)
	ca, cb := polarClient(t, url, a.lim), polarClient(t, url, b.lim)
	ctx := context.Background()
	for i := range 3 {
		if _, err := ca.ListBenefits(ctx); err != nil {
			t.Fatalf("request %d within the budget: %v", i+1, err)
		}
	}
	_, err := cb.ListBenefits(ctx)
	refused(t, err)
	if _, err := ca.ListProducts(ctx); err == nil {
		t.Error("the first instance sent a 4th request within the minute")
	}
	if n := fake.RequestCount(); n != 3 {
		t.Errorf("Polar received %d requests, want 3 (refusals send nothing)", n)
	}
	if got := b.lim.RateCounters().Refusals; got != 1 {
		t.Errorf("second instance counts %d refusals, want 1", got)
	}
	if a.budget.Fallbacks() != 0 || b.budget.Fallbacks() != 0 {
		t.Error("slots were booked without Redis although it answers")
	}
}

// TestPauseFromA429StopsTheOtherInstance: a 429 received by one instance
// pauses the organization on the other too, which then refuses without
// sending, telling the user how long to wait.
func TestPauseFromA429StopsTheOtherInstance(t *testing.T) {
	prefix := keyPrefix(t)
	a := newInstance(t, testRedis(t), prefix, 100, 2, -1)
	b := newInstance(t, testRedis(t), prefix, 100, 2, -1)
	fake, url := fakePolar(t, 1) // Polar allows 1 request a minute
	ca, cb := polarClient(t, url, a.lim), polarClient(t, url, b.lim)
	ctx := context.Background()
	if _, err := ca.ListBenefits(ctx); err != nil {
		t.Fatalf("first request: %v", err)
	}
	_, err := ca.ListBenefits(ctx)
	if pe, ok := polar.AsError(err); !ok || pe.Status != http.StatusTooManyRequests {
		t.Fatalf("second request got %v, want Polar's 429", err)
	}
	if until := b.budget.PausedUntil(ctx, org); until.IsZero() {
		t.Fatal("the second instance does not see the pause")
	}
	_, err = cb.ListProducts(ctx)
	if wait := refused(t, err); wait < 2*time.Second {
		t.Errorf("the second instance says to retry after %v, want about the rest of Polar's minute", wait)
	}
	if n := fake.RequestCount(); n != 2 {
		t.Errorf("Polar received %d requests, want 2 (none from the paused second instance)", n)
	}
	if a.lim.RateCounters().Pauses != 1 || b.lim.RateCounters().Pauses != 0 {
		t.Errorf("pauses counted: first %d, second %d; want 1 and 0", a.lim.RateCounters().Pauses, b.lim.RateCounters().Pauses)
	}
}

// waitResult is what one Wait returned.
type waitResult struct {
	probe bool
	err   error
}

func waitAsync(l interface {
	Wait(context.Context, string) (bool, error)
}) <-chan waitResult {
	ch := make(chan waitResult, 1)
	go func() {
		p, err := l.Wait(context.Background(), "benefits:list")
		ch <- waitResult{p, err}
	}()
	return ch
}

// notYet fails when ch has delivered (a request that must be held).
func notYet(t *testing.T, ch <-chan waitResult, what string) {
	t.Helper()
	select {
	case r := <-ch:
		t.Fatalf("%s went ahead (probe %v, err %v) before the probe was settled", what, r.probe, r.err)
	case <-time.After(150 * time.Millisecond):
	}
}

func got(t *testing.T, ch <-chan waitResult, what string) waitResult {
	t.Helper()
	select {
	case r := <-ch:
		if r.err != nil {
			t.Fatalf("%s: %v", what, r.err)
		}
		return r
	case <-time.After(10 * time.Second):
		t.Fatalf("%s is still held", what)
	}
	return waitResult{}
}

// TestProbeAfterPause: after a pause the instance that got the 429 sends
// one probe and holds its other requests until the probe is answered; a
// probe answered 429 again hands the probe to the next request. The
// other instance is not held.
func TestProbeAfterPause(t *testing.T) {
	prefix := keyPrefix(t)
	a := newInstance(t, testRedis(t), prefix, 100, 2, 10*time.Second)
	b := newInstance(t, testRedis(t), prefix, 100, 2, 10*time.Second)
	a.lim.Pause(time.Second) // as a 429 with Retry-After: 1 does

	first := got(t, waitAsync(a.lim), "the first request after the pause")
	if !first.probe {
		t.Fatal("the first request after the pause is not the probe")
	}
	second, third := waitAsync(a.lim), waitAsync(a.lim)
	notYet(t, second, "a request behind the probe")
	if r := got(t, waitAsync(b.lim), "the other instance's request"); r.probe {
		t.Error("the other instance made a probe of its own")
	}

	a.lim.Settle(true, false) // the probe got a 429 again
	r2 := <-firstOf(t, second, third)
	if !r2.probe {
		t.Fatal("after a failed probe the next request is not the new probe")
	}
	a.lim.Settle(true, true) // the new probe was answered
	r3 := <-firstOf(t, second, third)
	if r3.err != nil || r3.probe {
		t.Errorf("after an answered probe: probe %v, err %v; want a plain request", r3.probe, r3.err)
	}
	if r := got(t, waitAsync(a.lim), "a request once the probe was answered"); r.probe {
		t.Error("a probe again although the last one was answered")
	}
}

// firstOf returns a channel with the next result of either request.
func firstOf(t *testing.T, x, y <-chan waitResult) <-chan waitResult {
	t.Helper()
	out := make(chan waitResult, 1)
	select {
	case r := <-x:
		out <- r
	case r := <-y:
		out <- r
	case <-time.After(10 * time.Second):
		t.Fatal("no held request went ahead")
	}
	return out
}

// TestRedisDownFallsBackToAShare: with Redis unreachable each instance
// sends at most its share (budget ÷ expected instances), refuses beyond
// it without sending, and says so in its log.
func TestRedisDownFallsBackToAShare(t *testing.T) {
	testRedis(t) // the suite needs a Redis; this test uses an address where none listens
	dead := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: time.Second})
	t.Cleanup(func() { _ = dead.Close() })
	a := newInstance(t, dead, keyPrefix(t), 6, 3, -1)
	fake, url := fakePolar(t, 0)
	c := polarClient(t, url, a.lim)
	ctx := context.Background()
	for i := range 2 {
		if _, err := c.ListBenefits(ctx); err != nil {
			t.Fatalf("request %d within the share of 6/3: %v", i+1, err)
		}
	}
	_, err := c.ListBenefits(ctx)
	refused(t, err)
	if n := fake.RequestCount(); n != 2 {
		t.Errorf("Polar received %d requests, want 2 (6 a minute shared by 3 instances)", n)
	}
	if !a.budget.Degraded() || a.budget.Fallbacks() != 2 {
		t.Errorf("degraded %v, fallbacks %d; want true and 2", a.budget.Degraded(), a.budget.Fallbacks())
	}
	if !strings.Contains(a.log.String(), "Redis is not answering") {
		t.Errorf("no warning about Redis in the log: %q", a.log.String())
	}
}
