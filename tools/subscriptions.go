package tools

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/polar"
)

// EmailArg is the email every customer tool accepts. Customers always get
// their own account (they are not offered the argument); agents name the
// customer with it. It has no description in the schema, which only
// agents see, to keep tools/list within its budget (TestToolListStaysLean);
// the docs describe it (argDocs).
type EmailArg struct {
	Email string `json:"email"`
}

// SubscriptionStatusOutput is get_subscription_status's structured answer.
type SubscriptionStatusOutput struct {
	Subject
	Subscriptions []SubscriptionView `json:"subscriptions"`
	Notes         []string           `json:"-"` // said in the text
}

// SubscriptionView is one subscription as a customer sees it. Prices
// exclude tax and are after any discount; instants are RFC 3339.
type SubscriptionView struct {
	Plan        string       `json:"plan"`
	Status      string       `json:"status"`
	Canceling   bool         `json:"cancel_at_period_end"`
	Price       string       `json:"price"`
	Amount      int64        `json:"amount"`
	Currency    string       `json:"currency"`
	Interval    string       `json:"interval,omitempty"`
	Discount    string       `json:"discount,omitempty"`
	Seats       int          `json:"seats,omitempty"`
	NextBilling *time.Time   `json:"next_billing_at,omitempty"`
	TrialEnds   *time.Time   `json:"trial_ends_at,omitempty"`
	CancelsAt   *time.Time   `json:"cancels_at,omitempty"`
	EndedAt     *time.Time   `json:"ended_at,omitempty"`
	PausedAt    *time.Time   `json:"paused_at,omitempty"`
	ResumesAt   *time.Time   `json:"resumes_at,omitempty"`
	Changes     []ChangeView `json:"scheduled_changes,omitempty"`
	Meters      []MeterView  `json:"meters,omitempty"`
	// PaymentDue is a payment that failed or is still due.
	PaymentDue *PaymentDueView `json:"payment_due,omitempty"`
	// Cancellation is why the customer canceled: for agents only.
	Cancellation *CancellationView `json:"cancellation,omitempty"`

	id string

	discountEnds *time.Time
}

// PaymentDueView is what a subscription whose payment failed owes.
type PaymentDueView struct {
	PastDueSince *time.Time `json:"past_due_since,omitempty"`
	// Amount is what is outstanding (minor units), Outstanding the same
	// as written ("£27.84").
	Amount      int64      `json:"amount_outstanding,omitempty"`
	Outstanding string     `json:"outstanding,omitempty"`
	Currency    string     `json:"currency,omitempty"`
	RetryAt     *time.Time `json:"payment_retry_at,omitempty" jsonschema:"when Polar retries the payment"`
}

// CancellationView is the reason a customer gave for canceling, and
// their comment unless it holds card-like digits.
type CancellationView struct {
	Reason  string `json:"reason" jsonschema:"customer_service, low_quality, missing_features, switched_service, too_complex, too_expensive, unused or other"`
	Comment string `json:"comment,omitempty"`
}

// maxEnded bounds how many ended subscriptions an answer recalls.
const maxEnded = 3

// SubscriptionStatus is the get_subscription_status tool.
func SubscriptionStatus(deps Deps) server.ServerTool {
	tool := mcp.NewTool(NameSubscriptionStatus,
		mcp.WithDescription("The customer's subscriptions: plan, status, price, next billing, trial, cancel, pause and plan-change dates, usage."),
		schemas(deps, input[EmailArg](), output[SubscriptionStatusOutput]()),
		readOnly("Subscription status"),
	)
	return server.ServerTool{Tool: tool, Handler: typed(deps, NameSubscriptionStatus,
		func(ctx context.Context, in EmailArg) *mcp.CallToolResult {
			f := formatOf(ctx)
			newOut := func() *SubscriptionStatusOutput {
				return &SubscriptionStatusOutput{Subscriptions: []SubscriptionView{}}
			}
			return forCustomer(ctx, deps, NameSubscriptionStatus, in.Email, newOut, func(t *target, out *SubscriptionStatusOutput) (string, error) {
				subs, err := t.client.ListSubscriptions(ctx, t.ref())
				if err == nil {
					err = checkAll(t, subs, subCustomer)
				}
				if err != nil {
					return "", err
				}
				subs, unread := readable(subs, subUnreadable)
				views, ns, err := subscriptionsWithDetails(ctx, f, t, subs)
				if err != nil {
					return "", err
				}
				out.Subscriptions, out.Notes = views, ns
				return subscriptionText(f, *out) + notes(ns...) + unreadableNote(unread, "subscription", "subscriptions") +
					teamSeats(ctx, f, t, subs, out) + otherTeams(ctx, f, t, out), nil
			})
		})}
}

// subscriptionViews keeps every current subscription and the few most
// recently ended ones, in Polar's order (newest first).
func subscriptionViews(f format, subs []polar.Subscription, plans map[string]string) []SubscriptionView {
	views := []SubscriptionView{}
	ended := 0
	for _, s := range subs {
		if s.Status == "incomplete_expired" {
			continue
		}
		if s.Status == "canceled" {
			if ended == maxEnded {
				continue
			}
			ended++
		}
		views = append(views, subscriptionView(f, s, plans))
	}
	return views
}

// needsPayment reports a status whose next charge is waiting on the
// customer, so no billing date can be promised.
func needsPayment(status string) bool { return status == "incomplete" || status == "unpaid" }

func subscriptionView(f format, s polar.Subscription, plans map[string]string) SubscriptionView {
	v := subscriptionCore(f, s)
	if s.Status != "canceled" {
		v.Changes = scheduledChanges(f, s, plans)
	}
	return v
}

// endsBeforeBilling reports a subscription set to end (ends_at) no later
// than its current period: no further charge comes before the end.
func endsBeforeBilling(s polar.Subscription) bool {
	return s.EndsAt != nil && (s.CurrentPeriodEnd == nil || !s.EndsAt.After(*s.CurrentPeriodEnd))
}

func subscriptionCore(f format, s polar.Subscription) SubscriptionView {
	v := SubscriptionView{
		Plan:      planName(s),
		Status:    clean(s.Status),
		Canceling: s.CancelAtPeriodEnd && s.Status != "canceled",
		Amount:    s.Amount,
		Currency:  strings.ToUpper(s.Currency),
		Interval:  clean(s.RecurringInterval),
		Price:     subscriptionPrice(f, s),
		TrialEnds: instant(s.TrialEnd),
		PausedAt:  instant(s.PausedAt),
		ResumesAt: instant(s.ResumesAt),
		Meters:    meterViews(f, s.Meters),
	}
	if s.Seats != nil {
		v.Seats = *s.Seats
	}
	v.id = s.ID
	if f.agent {
		v.Cancellation = cancellation(s)
	}
	v.Discount, v.discountEnds = discountText(s)
	switch {
	case s.Status == "canceled":
		v.EndedAt = firstInstant(s.EndedAt, s.EndsAt, s.CanceledAt)
	case v.Canceling:
		v.CancelsAt = firstInstant(s.EndsAt, s.CurrentPeriodEnd)
	case endsBeforeBilling(s):
		v.CancelsAt = instant(s.EndsAt)
	case needsPayment(s.Status):
	case s.Status == "paused":
		v.NextBilling = instant(s.ResumesAt)
	case s.Status == "trialing":
		v.NextBilling = firstInstant(s.TrialEnd, s.CurrentPeriodEnd)
	default:
		v.NextBilling = instant(s.CurrentPeriodEnd)
	}
	if owes(s.Status) {
		v.PaymentDue = &PaymentDueView{PastDueSince: instant(s.PastDueAt)}
	}
	if s.Status == "past_due" && v.NextBilling != nil && f.past(*v.NextBilling) {
		// The charge that was due failed: the retry date says what comes.
		v.NextBilling = nil
	}
	return v
}

func planName(s polar.Subscription) string {
	if s.Product != nil && clean(s.Product.Name) != "" {
		return clean(s.Product.Name)
	}
	return "Subscription"
}

func firstInstant(ts ...*time.Time) *time.Time {
	for _, t := range ts {
		if i := instant(t); i != nil {
			return i
		}
	}
	return nil
}

// subscriptionText is the answer the model relays.
func subscriptionText(f format, out SubscriptionStatusOutput) string {
	if len(out.Subscriptions) == 0 {
		return fmt.Sprintf("%s has no subscriptions.", out.Email)
	}
	var b strings.Builder
	for i, v := range out.Subscriptions {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(subscriptionLine(f, v))
	}
	b.WriteString("\nPrices exclude tax; discounts are already applied.")
	return b.String()
}

func subscriptionLine(f format, v SubscriptionView) string {
	line := fmt.Sprintf("%s: %s, %s", v.Plan, statusPhrase(v), v.Price)
	if v.Seats > 0 {
		line += fmt.Sprintf(", %d seats", v.Seats)
	}
	if v.Discount != "" {
		line += ", discount " + v.Discount
		if v.discountEnds != nil {
			line += " until " + f.day(v.discountEnds)
		}
	}
	switch {
	case v.Status == "canceled" && v.EndedAt != nil:
		line += ", ended " + f.day(v.EndedAt)
	case v.Canceling && v.CancelsAt != nil:
		line += ", access " + tense(f, v.CancelsAt, "until", "ended") + " " + f.day(v.CancelsAt) + " (no further charges)"
	case v.CancelsAt != nil:
		line += ", " + tense(f, v.CancelsAt, "ends", "ended") + " " + f.day(v.CancelsAt) + " (no further charges)"
	case needsPayment(v.Status):
		line += ", nothing further is billed until the payment is completed in the customer portal"
	case v.Status == "paused":
		if v.PausedAt != nil {
			line += ", paused since " + f.day(v.PausedAt)
		}
		if v.ResumesAt != nil {
			line += ", resumes " + f.day(v.ResumesAt)
		}
	case v.Status == "trialing" && v.TrialEnds != nil:
		if f.past(*v.TrialEnds) {
			line += ", trial ended " + f.day(v.TrialEnds)
		} else {
			line += ", trial ends " + f.day(v.TrialEnds) + " (first charge then)"
		}
	case v.NextBilling != nil:
		line += ", next billing " + f.day(v.NextBilling)
	}
	line += paymentDue(f, v)
	if c := v.Cancellation; c != nil {
		line += ", cancellation reason: " + strings.ReplaceAll(c.Reason, "_", " ")
		if c.Comment != "" {
			line += " (\"" + c.Comment + "\")"
		}
	}
	for _, c := range v.Changes {
		line += "; " + c.Description
		if c.At != nil {
			line += " on " + f.day(c.At)
		}
	}
	for _, m := range v.Meters {
		line += "; " + meterLine(f, m, v.Currency)
	}
	return line + "."
}

func statusPhrase(v SubscriptionView) string {
	switch {
	case v.Canceling:
		return v.Status + ", set to cancel at the end of the period"
	case v.Status == "past_due":
		return "past due (the last payment failed; update the payment method in the customer portal)"
	case v.Status == "incomplete":
		return "incomplete, payment needed (the first payment was not completed)"
	case v.Status == "unpaid":
		return "unpaid, payment needed (renewal payments failed; pay in the customer portal to restore it)"
	default:
		return strings.ReplaceAll(v.Status, "_", " ")
	}
}
