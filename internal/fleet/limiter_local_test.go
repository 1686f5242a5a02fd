package fleet_test

// The Limiter over a LocalBudget, as one instance without Redis runs it:
// the ceiling, waits, deadlines, 429 pauses and the probe after them,
// through the real Polar client against the fake Polar API.

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/fleet"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
)

// demoAlice is a demo customer (internal/fakepolar/fixtures/demo/README.md).
const demoAlice = "c1000000-0001-4000-8001-000000000001"

func newClock() *testkit.Clock {
	return testkit.NewClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
}

// localLimiter is org's Limiter over a budget of perWindow requests a
// minute kept in this process, on clock now.
func localLimiter(perWindow int, now func() time.Time, maxWait time.Duration) *fleet.Limiter {
	return fleet.NewLimiter(fleet.NewLocalBudget(fleet.Limits{PerWindow: perWindow}, now), org, maxWait)
}

// flood makes m concurrent product list calls and returns their errors.
func flood(t *testing.T, c polar.Client, m int) []error {
	t.Helper()
	errs := make([]error, m)
	var wg sync.WaitGroup
	for i := range m {
		wg.Go(func() { _, errs[i] = c.ListProducts(t.Context()) })
	}
	wg.Wait()
	return errs
}

// refusals checks that every error is the limiter's refusal and counts
// them.
func refusals(t *testing.T, errs []error) int {
	t.Helper()
	n := 0
	for _, err := range errs {
		if err == nil {
			continue
		}
		pe, ok := polar.AsError(err)
		if !ok || pe.Kind != polar.KindRateLimited || pe.RetryAfter <= 0 || pe.Status != 0 ||
			!errors.Is(err, polar.ErrBudgetSpent) {
			t.Fatalf("unexpected error %v", err)
		}
		n++
	}
	return n
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

// client is a Polar client of url paced by lim; mods adjust its Config.
func client(t *testing.T, url string, lim polar.RateLimiter, mods ...func(*polar.Config)) *polar.SDKClient {
	t.Helper()
	cfg := polar.Config{AccessToken: fakepolar.DemoToken, ServerURL: url, Limiter: lim}
	for _, m := range mods {
		m(&cfg)
	}
	c, err := polar.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func noRetry(c *polar.Config) { c.MaxRetryWait = -1 }

func TestLocalLimiterCeiling(t *testing.T) {
	fake, url := fakePolar(t, 0)
	clk := newClock()
	c := client(t, url, localLimiter(5, clk.Now, -1))

	steps := []struct {
		advance time.Duration
		sent    int // requests the budget allows after advance
	}{
		{0, 5},                // the budget
		{0, 0},                // nothing left
		{3 * time.Second, 0},  // nothing frees within the window
		{time.Minute, 5},      // the window moved on
		{10 * time.Minute, 5}, // a long quiet time gives the budget only
	}
	sent := 0
	for i, st := range steps {
		clk.Advance(st.advance)
		fake.ResetRequests()
		errs := flood(t, c, 50)
		if got := fake.RequestCount(); got != st.sent {
			t.Errorf("step %d: a flood of 50 sent %d requests, want %d", i, got, st.sent)
		}
		if got := refusals(t, errs); got != 50-st.sent {
			t.Errorf("step %d: %d refusals, want %d", i, got, 50-st.sent)
		}
		sent += st.sent
	}
	if s := c.Stats(); s.Requests != uint64(sent) || s.RateRefusals != uint64(len(steps)*50-sent) {
		t.Errorf("Stats: %d requests, %d refusals; want %d, %d", s.Requests, s.RateRefusals, sent, len(steps)*50-sent)
	}
}

// TestLocalLimiterCountsEveryPage: each page of a list is a request of
// its own.
func TestLocalLimiterCountsEveryPage(t *testing.T) {
	var pages atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		pages.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"items":[{"id":"p","name":"P","prices":[]}],"pagination":{"total_count":3,"max_page":3}}`))
	}))
	t.Cleanup(srv.Close)
	c := client(t, srv.URL, localLimiter(2, newClock().Now, -1))
	_, err := c.ListProducts(t.Context())
	if pe, ok := polar.AsError(err); !ok || pe.Kind != polar.KindRateLimited {
		t.Fatalf("a 3-page list with 2 slots gave %v", err)
	}
	if n := pages.Load(); n != 2 {
		t.Errorf("%d pages sent, want 2", n)
	}
}

func TestLocalLimiterWaitsForASlot(t *testing.T) {
	_, url := fakePolar(t, 0)
	// One slot per 50 ms window on the real clock: the second request
	// waits for its slot instead of being refused.
	budget := fleet.NewLocalBudget(fleet.Limits{PerWindow: 1, Window: 50 * time.Millisecond}, nil)
	c := client(t, url, fleet.NewLimiter(budget, org, 0))
	for range 2 {
		if _, err := c.ListBenefits(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if s := c.Stats(); s.Requests != 2 || s.RateWaits != 1 || s.RateRefusals != 0 {
		t.Errorf("Stats %+v, want 2 requests after 1 wait", s)
	}
}

func TestLocalLimiterRespectsDeadline(t *testing.T) {
	fake, url := fakePolar(t, 0)
	c := client(t, url, localLimiter(1, newClock().Now, time.Minute))
	if _, err := c.ListBenefits(t.Context()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err := c.ListBenefits(ctx)
	if pe, ok := polar.AsError(err); !ok || pe.Kind != polar.KindRateLimited || pe.RetryAfter != time.Minute {
		t.Errorf("a slot a minute away with a 50ms deadline gave %v, want KindRateLimited after 1m", err)
	}
	if n := fake.RequestCount(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestLocalLimiter429PausesOrganization: after Polar's 429, no client
// sharing the organization's limiter sends anything until Retry-After has
// passed.
func TestLocalLimiter429PausesOrganization(t *testing.T) {
	fake, url := fakePolar(t, 0)
	clk := newClock()
	lim := localLimiter(450, clk.Now, 0)
	a := client(t, url, lim, noRetry)
	b := cache.New(client(t, url, lim), cache.Config{})

	fake.InjectFault(fakepolar.Fault{Path: "/v1/subscriptions/", Status: http.StatusTooManyRequests,
		RetryAfter: 30 * time.Second, Times: 1})
	_, err := a.ListSubscriptions(t.Context(), polar.ByID(demoAlice))
	if pe, ok := polar.AsError(err); !ok || pe.Kind != polar.KindRateLimited || pe.Status != http.StatusTooManyRequests {
		t.Fatalf("injected 429 gave %v", err)
	}

	clk.Advance(10 * time.Second)
	for _, c := range []polar.Client{a, b} {
		_, err = c.ListProducts(t.Context())
		pe, ok := polar.AsError(err)
		if !ok || pe.Kind != polar.KindRateLimited || !errors.Is(err, polar.ErrBudgetSpent) || pe.RetryAfter != 20*time.Second {
			t.Errorf("during the pause: %v (retry after %v), want a refusal for the remaining 20s", err, pe.RetryAfter)
		}
	}
	if n := fake.RequestCount(); n != 1 {
		t.Errorf("%d requests during the pause, want only the one Polar refused", n)
	}

	clk.Advance(20 * time.Second)
	if _, err := b.ListProducts(t.Context()); err != nil {
		t.Errorf("after Retry-After: %v", err)
	}
	if s := a.Stats(); s.Throttled != 1 || s.RatePauses != 1 || s.RateRefusals != 2 {
		t.Errorf("Stats %+v, want 1 throttled, 1 pause, 2 refusals", s)
	}
}

// pauseScript answers the first request with a 429 carrying retryAfter,
// holds the second (the probe after the pause) until release is closed,
// answers it with probe (a status, or 0 for the fake's answer), and lets
// the fake answer everything else.
type pauseScript struct {
	fake                   http.Handler
	retryAfter, probeRetry string
	probeStatus            int
	arrived, release       chan struct{}
	once                   sync.Once
	n                      atomic.Int32
}

func newPauseScript(t *testing.T, retryAfter string, probeStatus int, probeRetry string) (*pauseScript, string) {
	fake, err := fakepolar.Demo(fakepolar.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := &pauseScript{fake: fake, retryAfter: retryAfter, probeStatus: probeStatus, probeRetry: probeRetry,
		arrived: make(chan struct{}), release: make(chan struct{})}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	t.Cleanup(s.open) // runs before srv.Close: a failing test never hangs
	return s, srv.URL
}

// open releases the probe.
func (s *pauseScript) open() { s.once.Do(func() { close(s.release) }) }

func (s *pauseScript) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch s.n.Add(1) {
	case 1:
		w.Header().Set("Retry-After", s.retryAfter)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"detail":"slow down"}`))
		return
	case 2:
		close(s.arrived)
		<-s.release
		if s.probeStatus != 0 {
			w.Header().Set("Retry-After", s.probeRetry)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(s.probeStatus)
			_, _ = w.Write([]byte(`{}`))
			return
		}
	}
	s.fake.ServeHTTP(w, r)
}

// TestLocalDayLongRetryAfterIsCapped: a Retry-After of a day pauses the
// organization for MaxRateLimitPause only; then a single probe goes first
// and, answered, normal pacing resumes.
func TestLocalDayLongRetryAfterIsCapped(t *testing.T) {
	clk := newClock()
	script, url := newPauseScript(t, "86400", 0, "")
	c := client(t, url, localLimiter(60, clk.Now, -1), noRetry)
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
	if n := script.n.Load(); n != 2 {
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

// TestLocalThrottledProbePausesAgain: a probe answered 429 pauses anew,
// and the next probe after that pause goes through.
func TestLocalThrottledProbePausesAgain(t *testing.T) {
	clk := newClock()
	script, url := newPauseScript(t, "10", http.StatusTooManyRequests, "30")
	script.open()
	c := client(t, url, localLimiter(60, clk.Now, -1), noRetry)
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
	if n := script.n.Load(); n != 3 {
		t.Errorf("%d requests, want the 429, the throttled probe and the second probe", n)
	}
}
