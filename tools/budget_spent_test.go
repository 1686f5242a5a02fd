package tools_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/fleet"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
	"github.com/polar-mcp/polar-mcp/tools"
)

// spendable is a polar.RateLimiter whose budget a test spends at will:
// while spent, every request is refused as the fleet limiter refuses one.
type spendable struct {
	spent atomic.Bool
	mu    sync.Mutex
	asked []string // operations refused while spent
}

func (s *spendable) Wait(_ context.Context, op string) (bool, error) {
	if s.spent.Load() {
		s.mu.Lock()
		s.asked = append(s.asked, op)
		s.mu.Unlock()
		return false, &polar.Error{Kind: polar.KindRateLimited, Operation: op, RetryAfter: time.Second, Err: polar.ErrBudgetSpent}
	}
	return false, nil
}
func (s *spendable) Pause(time.Duration) {}
func (s *spendable) Settle(bool, bool)   {}
func (s *spendable) refused() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.asked...)
}

// budgetEnv serves the demo organization through the cache as the server
// builds it with webhooks on (billing kept ten minutes), paced by lim.
func budgetEnv(t *testing.T, lim polar.RateLimiter) (*env, *cache.Client) {
	t.Helper()
	e, cc, _ := webhookEnv(t, lim, func() bool { return true })
	return e, cc
}

// webhookEnv is budgetEnv with fresh saying whether webhooks arrive, and
// a count of the requests the fake answered, by method and path.
func webhookEnv(t *testing.T, lim polar.RateLimiter, fresh func() bool) (*env, *cache.Client, *requestCount) {
	t.Helper()
	fake, err := fakepolar.New(fakepolar.DemoFS(), fakepolar.Options{Tokens: map[string][]string{testToken: fakepolar.AllScopes()}})
	if err != nil {
		t.Fatal(err)
	}
	ts, rc := counted(t, fake)
	if lim == nil {
		lim = &spendable{}
	}
	sdk, err := polar.New(polar.Config{AccessToken: testToken, ServerURL: ts.URL, MaxRetryWait: -1, RequestsPerMinute: -1, Limiter: lim})
	if err != nil {
		t.Fatal(err)
	}
	cc := cache.New(sdk, cache.Config{BillingTTL: 10 * time.Minute, Invalidated: true, Fresh: fresh})
	deps := tools.Deps{Logger: slog.New(slog.DiscardHandler)}
	return &env{fake: fake, srv: tools.NewServer(deps, tools.Options{App: insightsApp()}), client: cc}, cc, rc
}

// requestCount counts requests by method and path.
// counted serves fake until t ends, counting each request by method and
// path.
func counted(t *testing.T, fake http.Handler) (*httptest.Server, *requestCount) {
	t.Helper()
	rc := &requestCount{n: map[string]int{}}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc.add(r.Method + " " + r.URL.Path)
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts, rc
}

type requestCount struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *requestCount) add(k string) {
	c.mu.Lock()
	c.n[k]++
	c.mu.Unlock()
}

func (c *requestCount) get(k string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[k]
}

// TestBudgetSpentAnswersWhatIsKept: once the organization's budget is
// spent, a question whose answer the cache keeps (webhooks on) is still
// answered, and only one that must reach Polar is refused, saying what
// could not be fetched.
func TestBudgetSpentAnswersWhatIsKept(t *testing.T) {
	lim := &spendable{}
	e, _ := budgetEnv(t, lim)
	warm := customer("alice@example.com")
	asked := []string{tools.NameSubscriptionStatus, tools.NameOrderHistory, tools.NameBenefits, tools.NameProducts}
	for _, name := range asked {
		if res := e.call(t, warm, name, nil); res.IsError {
			t.Fatalf("%s before the budget is spent: %s", name, testkit.Text(res))
		}
	}
	lim.spent.Store(true)
	for _, name := range asked {
		res := e.call(t, warm, name, nil)
		if res.IsError {
			t.Errorf("%s, kept, while the budget is spent: %s", name, testkit.Text(res))
		}
	}
	if r := lim.refused(); len(r) > 0 {
		t.Errorf("warm questions asked Polar while the budget was spent: %v", r)
	}
	cold := e.call(t, customer("bob@example.com"), tools.NameSubscriptionStatus, nil)
	if !cold.IsError {
		t.Fatalf("a cold question was answered while the budget is spent: %s", testkit.Text(cold))
	}
	mustFail(t, cold, "Polar is busy", "could not be fetched", "Try again in")
}

// TestBudgetSpentEveryKeptQuestion asks every customer question of the
// demo organization once, spends the budget, and asks them all again:
// each is answered from what was kept, with no request to Polar.
func TestBudgetSpentEveryKeptQuestion(t *testing.T) {
	lim := &spendable{}
	e, _ := budgetEnv(t, lim)
	emails := []string{"alice@example.com", "bob@example.com", "carol@example.com", "team@acme.example", "dave@example.com",
		"erin@example.com", "frank.miller@example.com", "grace@example.com", "refunds@example.com", "incomplete@example.com",
		"unpaid@example.com", "switcher@example.com", "metered@example.com", "pausing@example.com", "plan.change@example.com",
		"ending@example.com", "discount@example.com", "yen@example.com", "license.limit@example.com", "nobody@example.com"}
	asked := []string{tools.NameSubscriptionStatus, tools.NameOrderHistory, tools.NameBenefits, tools.NameProducts}
	for _, em := range emails {
		for _, name := range asked {
			if res := e.call(t, customer(em), name, nil); res.IsError {
				t.Fatalf("%s for %s before the budget is spent: %s", name, em, testkit.Text(res))
			}
		}
	}
	lim.spent.Store(true)
	for _, em := range emails {
		for _, name := range asked {
			if res := e.call(t, customer(em), name, nil); res.IsError {
				t.Errorf("%s for %s, kept, while the budget is spent: %s", name, em, testkit.Text(res))
			}
		}
	}
	if r := lim.refused(); len(r) > 0 {
		t.Errorf("warm questions asked Polar while the budget was spent: %v", r)
	}
}

// statusOf asks id's subscription status and returns its subscriptions.
func statusOf(t *testing.T, e *env, id *caller.Identity) []tools.SubscriptionView {
	t.Helper()
	res := e.call(t, id, tools.NameSubscriptionStatus, nil)
	mustAnswer(t, res)
	var out tools.SubscriptionStatusOutput
	structured(t, res, &out)
	return out.Subscriptions
}

// TestWebhookWritesThroughWhileBudgetSpent: a subscription.canceled
// webhook carrying the canceled subscription is visible at once while the
// budget is spent (no request to Polar), and an older event arriving
// after it changes nothing.
func TestWebhookWritesThroughWhileBudgetSpent(t *testing.T) {
	lim := &spendable{}
	e, cc := budgetEnv(t, lim)
	alice := customer("alice@example.com")
	before := statusOf(t, e, alice)
	if len(before) == 0 || before[0].Status != "active" || before[0].Canceling {
		t.Fatalf("alice before: %+v", before)
	}
	ctx := context.Background()
	subs, err := cc.ListSubscriptions(ctx, polar.ByID(mustCustomer(t, cc, "alice@example.com").ID))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(subs[0])
	if err != nil {
		t.Fatal(err)
	}
	var rec map[string]any
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	event := func(status string, cancelAtEnd bool, modified time.Time) []byte {
		rec["status"], rec["cancel_at_period_end"], rec["modified_at"] = status, cancelAtEnd, modified.Format(time.RFC3339Nano)
		b, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	lim.spent.Store(true)
	newer := event("active", true, now)
	older := event("active", false, now.Add(-time.Minute))
	if !cc.WriteSubscription(newer, now) {
		t.Fatal("the canceled subscription was not written through")
	}
	after := statusOf(t, e, alice)
	if len(after) == 0 || !after[0].Canceling {
		t.Errorf("cancellation not visible at once while the budget is spent: %+v", after)
	}
	cc.WriteSubscription(older, now.Add(-time.Minute))
	if again := statusOf(t, e, alice); len(again) == 0 || !again[0].Canceling {
		t.Errorf("an older event overwrote the newer record: %+v", again)
	}
	if r := lim.refused(); len(r) > 0 {
		t.Errorf("the written-through answer asked Polar: %v", r)
	}
}

func mustCustomer(t *testing.T, cc *cache.Client, email string) *polar.Customer {
	t.Helper()
	c, err := cc.FindCustomerByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestFleetBudgetSpentAnswersWhatIsKept is TestBudgetSpentAnswersWhatIsKept
// on the fleet's own limiter: a budget of 100 requests a minute, spent by
// other requests of the organization once alice's answers are kept. With
// the server's wait (2 s) as with none, kept answers are served, and a
// cold question whose next slot is a minute away is refused at once
// (it never queues for a turn), naming what could not be fetched.
func TestFleetBudgetSpentAnswersWhatIsKept(t *testing.T) {
	for _, maxWait := range []time.Duration{-1, 0} {
		budget := fleet.NewLocalBudget(fleet.Limits{PerWindow: 100, Window: time.Minute}, nil)
		lim := fleet.NewLimiter(budget, "org", maxWait)
		e, _ := budgetEnv(t, lim)
		alice := customer("alice@example.com")
		asked := []string{tools.NameSubscriptionStatus, tools.NameOrderHistory, tools.NameBenefits, tools.NameProducts}
		for _, name := range asked {
			mustAnswer(t, e.call(t, alice, name, nil))
		}
		ctx := context.Background()
		for {
			s, err := budget.Reserve(ctx, "org", 0)
			if err != nil {
				t.Fatal(err)
			}
			if !s.OK {
				break
			}
		}
		for _, name := range asked {
			mustAnswer(t, e.call(t, alice, name, nil))
		}
		mustFail(t, e.call(t, customer("bob@example.com"), tools.NameOrderHistory, nil),
			"Polar is busy", "could not be fetched")
		if c := lim.RateCounters(); c.Waits != 0 || c.Refusals == 0 || lim.Waiting() != 0 {
			t.Errorf("wait %v: counters %+v, %d waiting; want refusals without a wait", maxWait, c, lim.Waiting())
		}
	}
}
