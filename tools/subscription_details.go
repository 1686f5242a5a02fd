package tools

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/textsafe"
	"github.com/polar-mcp/polar-mcp/polar"
)

// outstandingOrders is how many recent orders are read to find what a
// past-due subscription owes.
const outstandingOrders = 10

// subscriptionsWithDetails describes subs, enriched where the answer
// needs it: a plan change's product named by id, and, for a subscription
// whose payment failed, its open order's amount and retry date. A failed
// enrichment leaves its detail out with a note.
func subscriptionsWithDetails(ctx context.Context, f format, t *target, subs []polar.Subscription) ([]SubscriptionView, []string, error) {
	plans, planNote, err := planNames(ctx, t, subs)
	if err != nil {
		return nil, nil, err
	}
	views := subscriptionViews(f, subs, plans)
	dueNote, err := outstanding(ctx, f, t, views)
	if err != nil {
		return nil, nil, err
	}
	return views, noteList(planNote, dueNote), nil
}

// planNames names the products of pending plan changes, each fetched by
// id (private products included; the adapter keeps them as long as the
// catalog), only when a subscription has one.
func planNames(ctx context.Context, t *target, subs []polar.Subscription) (map[string]string, string, error) {
	ids := map[string]bool{}
	for _, s := range subs {
		if u := s.PendingUpdate; u != nil && u.ProductID != nil && *u.ProductID != "" && s.Status != "canceled" {
			ids[*u.ProductID] = true
		}
	}
	if len(ids) == 0 {
		return nil, "", nil
	}
	var (
		mu     sync.Mutex
		wg     sync.WaitGroup
		failed error
	)
	names := make(map[string]string, len(ids))
	for id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := t.client.GetProduct(ctx, id)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				failed = err
			case !p.Unreadable:
				names[id] = clean(p.Name)
			}
		}()
	}
	wg.Wait()
	if failed != nil {
		note, err := t.enrichFailed(ctx, "products:get", failed, notePlanName)
		return names, note, err
	}
	return names, "", nil
}

// outstanding fills what each subscription whose payment failed owes, and
// when Polar retries it, from its newest unpaid order: one orders request,
// made only when such a subscription is in the answer.
func outstanding(ctx context.Context, f format, t *target, views []SubscriptionView) (string, error) {
	need := false
	for _, v := range views {
		need = need || owes(v.Status)
	}
	if !need {
		return "", nil
	}
	orders, err := t.client.ListOrders(ctx, t.ref(), outstandingOrders)
	if err == nil {
		err = checkAll(t, orders, orderCustomer)
	}
	if err != nil {
		return t.enrichFailed(ctx, "orders:list", err, noteOutstanding)
	}
	for i := range views {
		v := &views[i]
		if !owes(v.Status) {
			continue
		}
		for _, o := range orders {
			if o.Unreadable || o.Paid || o.Subscription == nil || o.Subscription.ID != v.id || o.Status != "pending" {
				continue
			}
			if v.PaymentDue == nil {
				v.PaymentDue = &PaymentDueView{}
			}
			p := v.PaymentDue
			p.Amount = o.DueAmount
			if p.Amount == 0 {
				p.Amount = o.TotalAmount
			}
			p.Currency = strings.ToUpper(o.Currency)
			p.Outstanding = f.money(p.Amount, o.Currency)
			p.RetryAt = instant(o.NextPaymentAttemptAt)
			break
		}
	}
	return "", nil
}

// owes reports a status whose last payment failed or is still due.
func owes(status string) bool { return status == "past_due" || needsPayment(status) }

// paymentDue writes what a subscription owes and when it is retried.
func paymentDue(f format, v SubscriptionView) string {
	p := v.PaymentDue
	if p == nil {
		return ""
	}
	s := ""
	if p.PastDueSince != nil && v.Status == "past_due" {
		s += ", past due since " + f.day(p.PastDueSince)
	}
	if p.Outstanding != "" {
		s += ", " + p.Outstanding + " outstanding"
	}
	if p.RetryAt != nil {
		s += ", payment " + tense(f, p.RetryAt, "retried", "last retried") + " on " + f.day(p.RetryAt)
	}
	return s
}

// cancellation is what an agent is shown of why a customer canceled: the
// reason they picked, and their comment unless it holds card-like digits.
func cancellation(s polar.Subscription) *CancellationView {
	if s.CancellationReason == nil || clean(*s.CancellationReason) == "" {
		return nil
	}
	c := &CancellationView{Reason: clean(*s.CancellationReason)}
	if s.CancellationComment != nil && !textsafe.CardLike(*s.CancellationComment) {
		c.Comment = clean(*s.CancellationComment)
	}
	return c
}

// tense picks the verb for a date: future (or today) or past.
func tense(f format, t *time.Time, future, past string) string {
	if t != nil && f.past(*t) {
		return past
	}
	return future
}
