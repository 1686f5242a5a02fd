package fleet_test

// Fair use of a spent budget: while slots are short, the requests
// waiting for them are served one caller at a time, round robin. The
// budget here is a tap the test opens one slot at a time, so the order
// in which waiters are served is the limiter's, not the scheduler's.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/fleet"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/polar"
)

// tapBudget is a Budget that admits a request only when the test has
// opened a slot: a spent budget whose slots free when the test says.
type tapBudget struct {
	mu       sync.Mutex
	open     int // slots that may be booked now
	booked   int
	released int
}

func (b *tapBudget) Reserve(ctx context.Context, _ string, _ time.Duration) (fleet.Slot, error) {
	if err := ctx.Err(); err != nil {
		return fleet.Slot{}, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.open > 0 {
		b.open--
		b.booked++
		return fleet.Slot{OK: true}, nil
	}
	// The next slot "frees" soon: waiters with time to wait stay queued.
	return fleet.Slot{Wait: 2 * time.Millisecond}, nil
}

func (b *tapBudget) Release(context.Context, string, fleet.Slot) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.released++
}
func (b *tapBudget) Pause(context.Context, string, time.Duration)  {}
func (b *tapBudget) PausedUntil(context.Context, string) time.Time { return time.Time{} }
func (b *tapBudget) admit(n int)                                   { b.mu.Lock(); b.open += n; b.mu.Unlock() }
func (b *tapBudget) counts() (booked, released int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.booked, b.released
}

// asCustomer is ctx carrying customer email, as the edge binds it.
func asCustomer(ctx context.Context, email string) context.Context {
	return caller.With(ctx, caller.Identity{Role: caller.Customer, Email: email, Subject: email})
}

// queue starts a request of email on lim and waits until it is queued
// (want requests waiting in all); its outcome goes to served.
func queue(t *testing.T, lim *fleet.Limiter, email string, want int, served chan<- string) {
	t.Helper()
	go func() {
		_, err := lim.Wait(asCustomer(t.Context(), email), "subscriptions:list")
		if err != nil {
			served <- "error " + email + ": " + err.Error()
			return
		}
		served <- email
	}()
	for lim.Waiting() < want {
		select {
		case <-t.Context().Done():
			t.Fatalf("%d requests queued, want %d", lim.Waiting(), want)
		case <-time.After(time.Millisecond):
		}
	}
}

// next opens one slot and returns who got it.
func next(t *testing.T, b *tapBudget, served <-chan string) string {
	t.Helper()
	b.admit(1)
	who := <-served
	return who
}

// TestSpentBudgetServesManyCustomersBeforeOnesRepeats: with a budget
// that admits N requests, one customer asking 50 cold questions gets N at
// once; the rest wait, and ten customers asking one question each, after
// them, are served before that customer's later questions.
func TestSpentBudgetServesManyCustomersBeforeOnesRepeats(t *testing.T) {
	const n = 5
	b := &tapBudget{open: n}
	lim := fleet.NewLimiter(b, org, time.Minute)
	ctx := asCustomer(t.Context(), "heavy@example.com")
	for i := range n {
		if _, err := lim.Wait(ctx, "subscriptions:list"); err != nil {
			t.Fatalf("question %d within the budget: %v", i, err)
		}
	}
	served := make(chan string, 60)
	for i := range 50 - n {
		queue(t, lim, "heavy@example.com", i+1, served)
	}
	light := map[string]bool{}
	for i := range 10 {
		email := fmt.Sprintf("light%d@example.com", i)
		light[email] = true
		queue(t, lim, email, 50-n+i+1, served)
	}
	var order []string
	for range 50 - n + 10 {
		order = append(order, next(t, b, served))
	}
	// The heavy customer's oldest waiting question had its turn first;
	// then each of the ten, then the heavy customer's later ones.
	if order[0] != "heavy@example.com" {
		t.Errorf("first served: %s, want the customer whose question waited longest", order[0])
	}
	for i, who := range order[1:11] {
		if !light[who] {
			t.Errorf("slot %d went to %s while a customer with one question waited; order %v", i+1, who, order)
			break
		}
		delete(light, who)
	}
	for i, who := range order[11:] {
		if who != "heavy@example.com" {
			t.Errorf("slot %d: %s, want the heavy customer's later questions", i+11, who)
			break
		}
	}
	if booked, released := b.counts(); booked != 60 || released != 0 {
		t.Errorf("budget: %d booked, %d released; want 60 and 0", booked, released)
	}
	if s := lim.RateCounters(); s.Waits != 55 || s.Refusals != 0 {
		t.Errorf("counters %+v, want 55 waits and no refusal", s)
	}
}

// TestSpentBudgetStarvesNoCustomer: three customers keep ten questions
// waiting each (a new one as soon as one is served); a customer who asks
// one question later is served within one round of the others, and every
// customer gets a third of the slots.
func TestSpentBudgetStarvesNoCustomer(t *testing.T) {
	b := &tapBudget{}
	lim := fleet.NewLimiter(b, org, time.Minute)
	served := make(chan string, 64)
	busy := []string{"a@example.com", "b@example.com", "c@example.com"}
	waiting := 0
	for range 10 {
		for _, e := range busy {
			waiting++
			queue(t, lim, e, waiting, served)
		}
	}
	got := map[string]int{}
	for i := range 30 {
		who := next(t, b, served)
		got[who]++
		queue(t, lim, who, 30, served) // asks again at once
		if i == 14 {
			queue(t, lim, "late@example.com", 31, served)
			var round []string
			for range 4 {
				w := next(t, b, served)
				round = append(round, w)
				if w != "late@example.com" {
					got[w]++
					queue(t, lim, w, 31, served)
				}
			}
			if !slices.Contains(round, "late@example.com") {
				t.Errorf("a customer asking once waited through %v", round)
			}
		}
	}
	for _, e := range busy {
		if got[e] < 10 || got[e] > 12 {
			t.Errorf("slots per customer %v, want a third each", got)
			break
		}
	}
}

// TestSpentBudgetWaitIsBounded: a request waits its turn at most the
// limiter's wait; then it is refused, naming what could not be fetched,
// and leaves the queue; a caller who hangs up leaves it too, and a slot
// that freed for nobody is given back.
func TestSpentBudgetWaitIsBounded(t *testing.T) {
	b := &tapBudget{}
	lim := fleet.NewLimiter(b, org, 30*time.Millisecond)
	_, err := lim.Wait(asCustomer(t.Context(), "bob@example.com"), "orders:list")
	pe, ok := polar.AsError(err)
	if !ok || pe.Kind != polar.KindRateLimited || pe.Operation != "orders:list" || !errors.Is(err, polar.ErrBudgetSpent) || pe.RetryAfter < time.Second {
		t.Fatalf("a wait beyond the limit gave %v, want the budget's refusal for orders:list", err)
	}
	ctx, cancel := context.WithCancel(asCustomer(t.Context(), "carol@example.com"))
	done := make(chan error, 1)
	go func() { _, err := lim.Wait(ctx, "subscriptions:list"); done <- err }()
	for lim.Waiting() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if pe, ok := polar.AsError(<-done); !ok || pe.Kind != polar.KindUnavailable || !errors.Is(pe, context.Canceled) {
		t.Errorf("a caller who hung up got %v", pe)
	}
	if n := lim.Waiting(); n != 0 {
		t.Errorf("%d requests still queued after they left", n)
	}
	if booked, _ := b.counts(); booked != 0 {
		t.Errorf("%d slots booked for requests that were refused", booked)
	}
}

// TestFreeBudgetQueuesNobody: while slots are free every request books
// its own at once, without waiting.
func TestFreeBudgetQueuesNobody(t *testing.T) {
	b := &tapBudget{open: 100}
	lim := fleet.NewLimiter(b, org, time.Minute)
	var wg sync.WaitGroup
	for i := range 100 {
		wg.Go(func() {
			if _, err := lim.Wait(asCustomer(t.Context(), fmt.Sprintf("c%d@example.com", i%7)), "customers:list"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if s := lim.RateCounters(); s.Waits != 0 || s.Refusals != 0 {
		t.Errorf("counters %+v with slots free, want no wait", s)
	}
}

// gatedBudget lets a request reach its inner budget only when the test
// has opened a slot: a spent shared budget whose slots free when the
// test says, booked for real in the inner one.
type gatedBudget struct {
	fleet.Budget
	tap tapBudget
}

func (g *gatedBudget) Reserve(ctx context.Context, org string, maxWait time.Duration) (fleet.Slot, error) {
	if s, err := g.tap.Reserve(ctx, org, maxWait); err != nil || !s.OK {
		return s, err
	}
	return g.Budget.Reserve(ctx, org, maxWait)
}

// TestFairTurnsOverRedisBudget: two instances share a budget through
// Redis; each takes turns among its own waiters (fairness is per
// instance), the slots it hands out are booked in the shared budget, and
// the other instance's waiters are served too.
func TestFairTurnsOverRedisBudget(t *testing.T) {
	rdb := testRedis(t)
	prefix := keyPrefix(t)
	gated := func() (*gatedBudget, *fleet.Limiter) {
		b, err := fleet.NewRedisBudget(rdb, fleet.RedisConfig{
			Limits: fleet.Limits{PerWindow: 100}, ExpectedInstances: 2, Prefix: prefix, RetryInterval: time.Minute,
		})
		if err != nil {
			t.Fatal(err)
		}
		g := &gatedBudget{Budget: b}
		return g, fleet.NewLimiter(g, org, time.Minute)
	}
	ga, a := gated()
	gb, b := gated()
	servedA, servedB := make(chan string, 16), make(chan string, 16)
	for i := range 6 {
		queue(t, a, "heavy@example.com", i+1, servedA)
	}
	queue(t, a, "light1@example.com", 7, servedA)
	queue(t, a, "light2@example.com", 8, servedA)
	queue(t, b, "other@example.com", 1, servedB)
	queue(t, b, "other@example.com", 2, servedB)
	var order []string
	for range 8 {
		order = append(order, next(t, &ga.tap, servedA))
	}
	for range 2 {
		if who := next(t, &gb.tap, servedB); who != "other@example.com" {
			t.Errorf("the other instance's waiter got %s", who)
		}
	}
	want := []string{"heavy@example.com", "light1@example.com", "light2@example.com", "heavy@example.com"}
	if !slices.Equal(order[:4], want) {
		t.Errorf("order %v, want %v first", order, want)
	}
	if n, err := rdb.ZCard(t.Context(), prefix+"{"+org+"}:slots").Result(); err != nil || n != 10 {
		t.Errorf("the shared budget holds %d slots (%v), want the 10 handed out", n, err)
	}
}
