package polar_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/polar"
)

// pauseScript answers the first request with a 429 carrying retryAfter,
// holds the second (the probe after the pause) until release is closed,
// answers it with probe, and answers everything else normally.
type pauseScript struct {
	retryAfter string
	probe      reply
	arrived    chan struct{} // closed when the probe arrives
	release    chan struct{}
	once       sync.Once
}

// open releases the probe. Tests register it as a cleanup after the
// server's, so it runs before the server closes and a failing test never
// hangs.
func (s *pauseScript) open() { s.once.Do(func() { close(s.release) }) }

func newPauseScript(retryAfter string, probe reply) *pauseScript {
	return &pauseScript{retryAfter: retryAfter, probe: probe,
		arrived: make(chan struct{}), release: make(chan struct{})}
}

func (s *pauseScript) respond(t *testing.T) func(int, *http.Request) reply {
	return func(n int, _ *http.Request) reply {
		switch n {
		case 0:
			return reply{status: http.StatusTooManyRequests, body: `{"detail":"slow down"}`,
				header: map[string]string{"Retry-After": s.retryAfter}}
		case 1:
			close(s.arrived)
			<-s.release
			return s.probe
		}
		return ok(fixture(t, "benefits_list.json"))
	}
}

// refusedFor checks err is the Limiter's refusal and returns its wait.
func refusedFor(t *testing.T, err error) time.Duration {
	t.Helper()
	pe, ok := polar.AsError(err)
	if !ok || pe.Kind != polar.KindRateLimited || !errors.Is(err, polar.ErrBudgetSpent) {
		t.Fatalf("err = %v, want a refusal of the Limiter", err)
	}
	return pe.RetryAfter
}

// TestDayLongRetryAfterIsCapped: a Retry-After of a day pauses the
// organization for MaxRateLimitPause only; then a single probe goes first
// and, answered, normal pacing resumes.
func TestDayLongRetryAfterIsCapped(t *testing.T) {
	clk := newClock()
	lim := polar.NewLimiter(polar.LimiterConfig{RequestsPerMinute: 60, Burst: 5, MaxWait: -1, Now: clk.Now})
	script := newPauseScript("86400", ok(fixture(t, "benefits_list.json")))
	c, up := newClient(t, script.respond(t), withLimiter(lim), func(cfg *polar.Config) { cfg.MaxRetryWait = -1 })
	t.Cleanup(script.open)
	ctx := context.Background()

	_, err := c.ListBenefits(ctx)
	pe, ok := polar.AsError(err)
	if !ok || pe.Kind != polar.KindRateLimited || pe.Status != http.StatusTooManyRequests {
		t.Fatalf("the 429 gave %v", err)
	}
	if pe.RetryAfter != polar.MaxRateLimitPause {
		t.Errorf("the user is told to wait %v, want at most %v", pe.RetryAfter, polar.MaxRateLimitPause)
	}
	_, err = c.ListBenefits(ctx)
	if wait := refusedFor(t, err); wait != polar.MaxRateLimitPause {
		t.Errorf("during the pause: wait %v, want %v", wait, polar.MaxRateLimitPause)
	}
	clk.Advance(polar.MaxRateLimitPause - time.Second)
	_, err = c.ListBenefits(ctx)
	if wait := refusedFor(t, err); wait != time.Second {
		t.Errorf("a second before the end: wait %v, want 1s", wait)
	}

	clk.Advance(time.Second)
	probeErr := make(chan error, 1)
	go func() { _, err := c.ListBenefits(ctx); probeErr <- err }()
	<-script.arrived
	clk.Advance(time.Second) // pacing alone would allow a request now
	_, err = c.ListBenefits(ctx)
	if wait := refusedFor(t, err); wait <= 0 || wait > polar.MaxRateLimitPause {
		t.Errorf("while the probe is in flight: wait %v", wait)
	}
	if n := len(up.requests()); n != 2 {
		t.Errorf("%d requests while the probe was in flight, want the 429 and the probe", n)
	}
	script.open()
	if err := <-probeErr; err != nil {
		t.Fatalf("probe: %v", err)
	}

	for i := range 3 {
		clk.Advance(time.Second)
		if _, err := c.ListBenefits(ctx); err != nil {
			t.Fatalf("call %d after the probe was answered: %v", i, err)
		}
	}
	if s := c.Stats(); s.Requests != 5 || s.RatePauses != 1 {
		t.Errorf("Stats %+v, want 5 requests and 1 pause", s)
	}
}

// TestThrottledProbePausesAgain: a probe answered 429 pauses anew, and
// the next probe after that pause goes through.
func TestThrottledProbePausesAgain(t *testing.T) {
	clk := newClock()
	lim := polar.NewLimiter(polar.LimiterConfig{RequestsPerMinute: 60, Burst: 5, MaxWait: -1, Now: clk.Now})
	script := newPauseScript("10", reply{status: http.StatusTooManyRequests, body: `{}`,
		header: map[string]string{"Retry-After": "30"}})
	script.open()
	c, up := newClient(t, script.respond(t), withLimiter(lim), func(cfg *polar.Config) { cfg.MaxRetryWait = -1 })
	ctx := context.Background()

	if _, err := c.ListBenefits(ctx); err == nil {
		t.Fatal("the 429 succeeded")
	}
	clk.Advance(10 * time.Second)
	_, err := c.ListBenefits(ctx)
	if pe, ok := polar.AsError(err); !ok || pe.Status != http.StatusTooManyRequests || pe.RetryAfter != 30*time.Second {
		t.Fatalf("the throttled probe gave %v", err)
	}
	clk.Advance(29 * time.Second)
	_, err = c.ListBenefits(ctx)
	if wait := refusedFor(t, err); wait != time.Second {
		t.Errorf("before the second pause ends: wait %v, want 1s", wait)
	}
	clk.Advance(time.Second)
	if _, err := c.ListBenefits(ctx); err != nil {
		t.Fatalf("the second probe: %v", err)
	}
	if n := len(up.requests()); n != 3 {
		t.Errorf("%d requests, want the 429, the throttled probe and the second probe", n)
	}
}
