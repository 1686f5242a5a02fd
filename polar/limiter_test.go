package polar_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
)

func withLimiter(l *polar.Limiter) func(*polar.Config) {
	return func(c *polar.Config) { c.Limiter = l }
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

func TestLimiterCeiling(t *testing.T) {
	api := startDemo(t)
	clk := newClock()
	lim := polar.NewLimiter(polar.LimiterConfig{RequestsPerMinute: 60, Burst: 5, MaxWait: -1, Now: clk.Now})
	c := api.adapter(t, withLimiter(lim))

	steps := []struct {
		advance time.Duration
		sent    int // requests the bucket allows after advance
	}{
		{0, 5},                // the burst
		{0, 0},                // nothing left
		{3 * time.Second, 3},  // one a second
		{10 * time.Minute, 5}, // a long quiet time refills the burst only
	}
	for i, st := range steps {
		clk.Advance(st.advance)
		api.fake.ResetRequests()
		errs := flood(t, c, 50)
		if got := api.fake.RequestCount(); got != st.sent {
			t.Errorf("step %d: a flood of 50 sent %d requests, want %d", i, got, st.sent)
		}
		if got := refusals(t, errs); got != 50-st.sent {
			t.Errorf("step %d: %d refusals, want %d", i, got, 50-st.sent)
		}
	}
	if s := c.Stats(); s.Requests != 13 || s.RateRefusals != 4*50-13 {
		t.Errorf("Stats: %d requests, %d refusals; want 13, %d", s.Requests, s.RateRefusals, 4*50-13)
	}
}

// TestLimiterCountsEveryPage: each page of a list is a request of its own.
func TestLimiterCountsEveryPage(t *testing.T) {
	product := `{"id":"p","name":"P","prices":[]}`
	lim := polar.NewLimiter(polar.LimiterConfig{RequestsPerMinute: 60, Burst: 2, MaxWait: -1, Now: newClock().Now})
	c, up := newClient(t, always(ok(page(3, product))), withLimiter(lim))
	_, err := c.ListProducts(t.Context())
	if pe, ok := polar.AsError(err); !ok || pe.Kind != polar.KindRateLimited {
		t.Fatalf("a 3-page list with 2 slots gave %v", err)
	}
	if n := len(up.requests()); n != 2 {
		t.Errorf("%d pages sent, want 2", n)
	}
}

func TestLimiterWaitsForASlot(t *testing.T) {
	api := startDemo(t)
	// One slot per millisecond on a frozen clock: the second request
	// waits for its slot instead of being refused.
	lim := polar.NewLimiter(polar.LimiterConfig{RequestsPerMinute: 60_000, Burst: 1, Now: newClock().Now})
	c := api.adapter(t, withLimiter(lim))
	for range 2 {
		if _, err := c.ListBenefits(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if s := c.Stats(); s.Requests != 2 || s.RateWaits != 1 || s.RateRefusals != 0 {
		t.Errorf("Stats %+v, want 2 requests after 1 wait", s)
	}
}

func TestLimiterRespectsDeadline(t *testing.T) {
	api := startDemo(t)
	lim := polar.NewLimiter(polar.LimiterConfig{RequestsPerMinute: 60, Burst: 1, MaxWait: time.Minute, Now: newClock().Now})
	c := api.adapter(t, withLimiter(lim))
	if _, err := c.ListBenefits(t.Context()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err := c.ListBenefits(ctx)
	if pe, ok := polar.AsError(err); !ok || pe.Kind != polar.KindRateLimited || pe.RetryAfter != time.Second {
		t.Errorf("a slot 1s away with a 50ms deadline gave %v, want KindRateLimited after 1s", err)
	}
	if n := api.fake.RequestCount(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestLimiter429PausesOrganization: after Polar's 429, no client sharing
// the organization's limiter sends anything until Retry-After has passed.
func TestLimiter429PausesOrganization(t *testing.T) {
	api := startDemo(t)
	clk := newClock()
	lim := polar.NewLimiter(polar.LimiterConfig{RequestsPerMinute: 450, Now: clk.Now})
	noRetry := func(c *polar.Config) { c.MaxRetryWait = -1 }
	a := api.adapter(t, withLimiter(lim), noRetry)
	b := cache.New(api.adapter(t, withLimiter(lim)), cache.Config{})

	api.fake.InjectFault(fakepolar.Fault{Path: "/v1/subscriptions/", Status: http.StatusTooManyRequests,
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
	if n := api.fake.RequestCount(); n != 1 {
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

func TestRateBudget(t *testing.T) {
	tests := []struct {
		name string
		cfg  polar.Config
		want int
	}{
		{"production", polar.Config{}, 450},
		{"sandbox", polar.Config{Environment: "Sandbox"}, 90},
		{"custom server URL", polar.Config{Environment: "sandbox", ServerURL: "http://localhost:1"}, 450},
		{"own limit", polar.Config{RequestsPerMinute: 1000}, 900},
		{"own headroom", polar.Config{Environment: "sandbox", Headroom: 0.5}, 50},
		{"no headroom", polar.Config{Headroom: -1}, 500},
		{"no limiting", polar.Config{RequestsPerMinute: -1}, 0},
	}
	for _, tt := range tests {
		if got := polar.RateBudget(tt.cfg); got != tt.want {
			t.Errorf("%s: RateBudget = %d, want %d", tt.name, got, tt.want)
		}
	}
	if _, err := polar.New(polar.Config{AccessToken: testToken, Headroom: 1}); err == nil {
		t.Error("New accepted a headroom of 1, which leaves no budget")
	}
}

// TestLimiterLowerSlowsItDown: a connection asking for a lower budget
// slows the organization's shared limiter; a higher one changes nothing.
func TestLimiterLowerSlowsItDown(t *testing.T) {
	api := startDemo(t)
	clk := newClock()
	lim := polar.NewLimiter(polar.LimiterConfig{RequestsPerMinute: 60, Burst: 10, MaxWait: -1, Now: clk.Now})
	c := api.adapter(t, withLimiter(lim))
	sent := func(after time.Duration) int {
		clk.Advance(after)
		api.fake.ResetRequests()
		flood(t, c, 20)
		return api.fake.RequestCount()
	}
	sent(time.Minute) // spend the burst
	if n := sent(5 * time.Second); n != 5 {
		t.Fatalf("at 60/min, 5 s let %d requests through, want 5", n)
	}
	lim.Lower(120) // faster: ignored
	if n := sent(5 * time.Second); n != 5 {
		t.Errorf("after Lower(120), 5 s let %d through, want still 5", n)
	}
	lim.Lower(6) // one every 10 s, no burst
	sent(30 * time.Second)
	for i, want := range []int{0, 1, 0, 1} {
		if n := sent(5 * time.Second); n != want {
			t.Errorf("after Lower(6), step %d: 5 s let %d through, want %d", i, n, want)
		}
	}
}
