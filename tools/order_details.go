package tools

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/polar-mcp/polar-mcp/polar"
)

// DisputeView is a chargeback on an order.
type DisputeView struct {
	Status      string     `json:"status" jsonschema:"prevented, early_warning, needs_response, under_review, lost, won"`
	Amount      int64      `json:"amount" jsonschema:"disputed amount incl. tax, minor units"`
	Currency    string     `json:"currency"`
	Reason      string     `json:"reason,omitempty"`
	ResponseDue *time.Time `json:"response_due_at,omitempty" jsonschema:"when the merchant's evidence is due"`
	Closed      bool       `json:"closed,omitempty"`
}

// noDisputeScope is the note agents get when disputes cannot be read.
const noDisputeScope = "disputes are not shown: the Polar token lacks the optional " + polar.ScopeDisputesRead + " scope"

// disputes marks the orders that have a dispute: one request for every
// order that took a payment, only when there is one (the adapter keeps the
// answer as long as the catalog). A failure leaves the orders as they are
// with a note; a missing disputes:read scope is said to agents only.
func disputes(ctx context.Context, t *target, orders []OrderView) (string, error) {
	var ids []string
	for _, o := range orders {
		if o.paid || o.Status == "refunded" || o.Status == "partially_refunded" {
			ids = append(ids, o.id)
		}
	}
	if len(ids) == 0 {
		return "", nil
	}
	ds, err := t.client.ListDisputes(ctx, ids)
	if pe, ok := polar.AsError(err); ok && pe.Kind == polar.KindInsufficientScope {
		if t.agent {
			return noDisputeScope, nil
		}
		return "", nil
	}
	if err != nil {
		return t.enrichFailed(ctx, "disputes:list", err, noteDisputes)
	}
	for i := range orders {
		for _, d := range ds {
			if d.OrderID != orders[i].id || d.Status == "prevented" {
				continue
			}
			v := &DisputeView{Status: clean(d.Status), Amount: d.Amount + d.TaxAmount, Currency: strings.ToUpper(d.Currency),
				ResponseDue: instant(d.EvidenceDueBy), Closed: d.Closed}
			if d.Reason != nil {
				v.Reason = clean(*d.Reason)
			}
			orders[i].Dispute = v
			break
		}
	}
	return "", nil
}

// orderLine writes one order after its date: item, reason, total,
// status, and what makes it read otherwise than charged as listed.
func orderLine(f format, o OrderView) string {
	item := o.Item
	if o.Seats > 0 {
		item = fmt.Sprintf("%s (%s)", o.Item, plural(o.Seats, "seat", "seats"))
	}
	line := fmt.Sprintf("%s (%s), %s, %s", item, reason(o.BillingReason), o.Total, strings.ReplaceAll(o.Status, "_", " "))
	if o.Refunded > 0 && o.Status != "refunded" {
		line += fmt.Sprintf(" (%s refunded)", f.money(o.Refunded, o.Currency))
	}
	switch {
	case o.Amount == 0 && o.DiscountAmount > 0:
		d := "a discount"
		if o.Discount != "" {
			d = "the discount " + o.Discount
		}
		line += ", nothing was charged: " + d + " covered the full " + f.money(o.DiscountAmount, o.Currency)
	case o.AppliedBalance > 0 && o.AppliedBalance >= o.Amount:
		line += ", paid from the account balance (no card was charged)"
	case o.AppliedBalance > 0:
		line += fmt.Sprintf(", %s of it paid from the account balance, %s charged", f.money(o.AppliedBalance, o.Currency),
			f.money(o.Amount-o.AppliedBalance, o.Currency))
	}
	if o.Due > 0 {
		line += ", " + f.money(o.Due, o.Currency) + " due"
	}
	if o.RetryAt != nil {
		line += ", payment " + tense(f, o.RetryAt, "retried", "last retried") + " on " + f.day(o.RetryAt)
	}
	if d := o.Dispute; d != nil {
		line += ", " + disputeText(f, d)
	}
	return line
}

// disputeText says an order is disputed: plainly to the customer; with
// its status, reason and response deadline to an agent.
func disputeText(f format, d *DisputeView) string {
	status := strings.ReplaceAll(d.Status, "_", " ")
	if !f.agent {
		if d.Closed {
			return "the payment was disputed with the bank (dispute " + status + ")"
		}
		return "the payment is disputed with the bank (a chargeback is open)"
	}
	s := "DISPUTED (" + status
	if d.Reason != "" {
		s += ", reason " + strings.ReplaceAll(d.Reason, "_", " ")
	}
	s += ")"
	if d.ResponseDue != nil && !d.Closed {
		s += ", response " + tense(f, d.ResponseDue, "due by", "was due by") + " " + f.day(d.ResponseDue)
	}
	return s
}
