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

// EmailArg is the optional email every customer tool accepts. Customers
// always get their own account; only agents name someone.
type EmailArg struct {
	Email string `json:"email,omitempty" jsonschema:"The customer's email (agents)."`
}

// SubscriptionStatusOutput is get_subscription_status's structured answer.
type SubscriptionStatusOutput struct {
	Subject
	Subscriptions []SubscriptionView `json:"subscriptions"`
}

// SubscriptionView is one subscription as a customer sees it.
type SubscriptionView struct {
	Plan        string `json:"plan"`
	Status      string `json:"status" jsonschema:"active, trialing, past_due, paused, canceled, unpaid or incomplete"`
	Canceling   bool   `json:"cancel_at_period_end"`
	Price       string `json:"price" jsonschema:"e.g. €24.00 / month"`
	Amount      int64  `json:"amount" jsonschema:"in the currency's minor units"`
	Currency    string `json:"currency"`
	Interval    string `json:"interval,omitempty"`
	Seats       int    `json:"seats,omitempty"`
	NextBilling string `json:"next_billing_date,omitempty"`
	TrialEnds   string `json:"trial_end,omitempty"`
	EndsAt      string `json:"ends_at,omitempty" jsonschema:"scheduled cancellation or end date"`
	PausedAt    string `json:"paused_at,omitempty"`
	ResumesAt   string `json:"resumes_at,omitempty"`
}

// maxEnded bounds how many ended subscriptions an answer recalls.
const maxEnded = 3

// SubscriptionStatus is the get_subscription_status tool.
func SubscriptionStatus(deps Deps) server.ServerTool {
	tool := mcp.NewTool(NameSubscriptionStatus,
		mcp.WithDescription("The caller's subscriptions: plan, status (active, trialing, past due, paused, canceled, canceling), price, next billing, trial, cancellation and pause dates. For \"what's my plan?\"."),
		input[EmailArg](),
		output[SubscriptionStatusOutput](),
		readOnly("Subscription status"),
	)
	return server.ServerTool{Tool: tool, Handler: mcp.NewTypedToolHandler(
		func(ctx context.Context, _ mcp.CallToolRequest, in EmailArg) (*mcp.CallToolResult, error) {
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
				out.Subscriptions = subscriptionViews(subs)
				return subscriptionText(*out), nil
			}), nil
		})}
}

// subscriptionViews keeps every current subscription and the few most
// recently ended ones, in Polar's order (newest first).
func subscriptionViews(subs []polar.Subscription) []SubscriptionView {
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
		views = append(views, subscriptionView(s))
	}
	return views
}

func subscriptionView(s polar.Subscription) SubscriptionView {
	v := SubscriptionView{
		Plan:      planName(s),
		Status:    clean(s.Status),
		Canceling: s.CancelAtPeriodEnd && s.Status != "canceled",
		Amount:    s.Amount,
		Currency:  strings.ToUpper(s.Currency),
		Interval:  clean(s.RecurringInterval),
		Price:     money(s.Amount, s.Currency) + per(clean(s.RecurringInterval), s.IntervalCount),
		TrialEnds: day(s.TrialEnd),
		PausedAt:  day(s.PausedAt),
		ResumesAt: day(s.ResumesAt),
	}
	if s.Seats != nil {
		v.Seats = *s.Seats
	}
	switch {
	case s.Status == "canceled":
		v.EndsAt = firstDay(s.EndedAt, s.EndsAt, s.CanceledAt)
	case v.Canceling:
		v.EndsAt = firstDay(s.EndsAt, s.CurrentPeriodEnd)
	case s.Status == "paused":
		v.NextBilling = day(s.ResumesAt)
	case s.Status == "trialing":
		v.NextBilling = firstDay(s.TrialEnd, s.CurrentPeriodEnd)
	default:
		v.NextBilling = day(s.CurrentPeriodEnd)
		v.EndsAt = day(s.EndsAt)
	}
	return v
}

func planName(s polar.Subscription) string {
	if s.Product != nil && clean(s.Product.Name) != "" {
		return clean(s.Product.Name)
	}
	return "Subscription"
}

func firstDay(ts ...*time.Time) string {
	for _, t := range ts {
		if d := day(t); d != "" {
			return d
		}
	}
	return ""
}

// subscriptionText is the sentence the model relays.
func subscriptionText(out SubscriptionStatusOutput) string {
	if len(out.Subscriptions) == 0 {
		return fmt.Sprintf("%s has no subscriptions.", out.Email)
	}
	var b strings.Builder
	for i, v := range out.Subscriptions {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(subscriptionLine(v))
	}
	return b.String()
}

func subscriptionLine(v SubscriptionView) string {
	line := fmt.Sprintf("%s: %s, %s", v.Plan, statusPhrase(v), v.Price)
	if v.Seats > 0 {
		line += fmt.Sprintf(", %d seats", v.Seats)
	}
	switch {
	case v.Status == "canceled" && v.EndsAt != "":
		line += ", ended " + v.EndsAt
	case v.Canceling && v.EndsAt != "":
		line += ", access until " + v.EndsAt + " (no further charges)"
	case v.Status == "paused":
		if v.PausedAt != "" {
			line += ", paused since " + v.PausedAt
		}
		if v.ResumesAt != "" {
			line += ", resumes " + v.ResumesAt
		}
	case v.Status == "trialing" && v.TrialEnds != "":
		line += ", trial ends " + v.TrialEnds + " (first charge then)"
	case v.NextBilling != "":
		line += ", next billing " + v.NextBilling
	}
	return line + "."
}

func statusPhrase(v SubscriptionView) string {
	switch {
	case v.Canceling:
		return v.Status + ", set to cancel at the end of the period"
	case v.Status == "past_due":
		return "past due (the last payment failed; update the payment method in the customer portal)"
	default:
		return strings.ReplaceAll(v.Status, "_", " ")
	}
}
