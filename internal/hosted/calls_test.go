package hosted

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/server"
	"golang.org/x/time/rate"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/tools"
)

// TestToolCallsPerCallerAreRateLimited runs polar-mcp's tools on the fake
// Polar API behind the hosted endpoint with a call limit of 1 a minute in
// bursts of 3: a customer's fourth call is refused without a Polar request,
// and another customer's call goes through.
func TestToolCallsPerCallerAreRateLimited(t *testing.T) {
	const burst = 3
	const polarToken = "polar_oat_hosted_calls_test_5ecret"
	fake, err := fakepolar.New(fakepolar.DemoFS(), fakepolar.Options{Tokens: map[string][]string{polarToken: fakepolar.AllScopes()}})
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(fake)
	t.Cleanup(api.Close)
	pc, err := polar.New(polar.Config{AccessToken: polarToken, ServerURL: api.URL, MaxRetryWait: -1, RequestsPerMinute: -1})
	if err != nil {
		t.Fatal(err)
	}
	deps := tools.Deps{Logger: slog.New(slog.DiscardHandler)}
	srv := tools.NewServer(deps, tools.Options{Middleware: []server.ToolHandlerMiddleware{LimitCalls(NewCallBuckets(1, burst))}})
	ts := serve(t, srv, withClient(t, pc))

	ctx := context.Background()
	call := func(email string) (string, bool) {
		t.Helper()
		c := connect(t, ts.url, "http", "2025-11-25", customerToken(t, email))
		text, isError, err := testkit.CallTool(ctx, c, tools.NameSubscriptionStatus, nil)
		if err != nil {
			t.Fatal(err)
		}
		return text, isError
	}
	for i := range burst {
		if text, isError := call("alice@example.com"); isError {
			t.Fatalf("call %d of a burst of %d refused: %s", i+1, burst, text)
		}
	}
	before := fake.RequestCount()
	text, isError := call("alice@example.com")
	refusal := regexp.MustCompile(`^You're sending requests too quickly; try again in [1-9][0-9]* seconds?\.$`)
	if !isError || !refusal.MatchString(text) {
		t.Fatalf("call over the burst: isError=%v %q", isError, text)
	}
	if got := fake.RequestCount(); got != before {
		t.Errorf("the refused call made %d Polar requests", got-before)
	}
	if text, isError := call("bob@example.com"); isError {
		t.Errorf("another caller's call was refused: %s", text)
	}
	if fake.RequestCount() == before {
		t.Error("another caller's call made no Polar request")
	}
}

func TestCallBucketsOfIdleCallersAreDropped(t *testing.T) {
	l := &callLimiter{every: 1, burst: 2, buckets: map[string]*rate.Limiter{}}
	now := time.Now()
	for i := range 2 {
		if wait := l.take("a", now); wait != 0 {
			t.Fatalf("call %d of a burst of 2 was refused (wait %v)", i+1, wait)
		}
	}
	if l.take("a", now) <= 0 {
		t.Fatal("a third call at once was allowed")
	}
	later := now.Add(callSweepInterval + time.Second)
	l.take("b", later)
	if _, ok := l.buckets["a"]; ok {
		t.Error("the refilled bucket of an idle caller is still held")
	}
}
