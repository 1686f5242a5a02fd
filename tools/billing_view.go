package tools

import (
	"fmt"
	"time"

	"github.com/polar-mcp/polar-mcp/polar"
)

// ChangeView is a change Polar has scheduled for a subscription.
type ChangeView struct {
	Description string     `json:"description"`
	At          *time.Time `json:"at,omitempty"`
}

// MeterView is a meter's usage in the current period; Amount (minor
// units) is what it has cost so far, Balance what credit is left.
type MeterView struct {
	Name     string  `json:"name"`
	Consumed float64 `json:"consumed"`
	Credited float64 `json:"credited"`
	Balance  float64 `json:"balance"`
	Amount   int64   `json:"amount,omitempty"`
	// Usage says it in words, in the reader's locale: "12,840 used of
	// 10,000 credited (2,840 over)".
	Usage string `json:"usage"`
}

// subscriptionPrice writes what a subscription charges: its amount per
// interval, plus any metered price, which is charged on top ("$9.00 /
// month plus $0.005 per unit of API requests").
func subscriptionPrice(f format, s polar.Subscription) string {
	price := f.money(s.Amount, s.Currency) + per(clean(s.RecurringInterval), s.IntervalCount)
	for _, p := range s.Prices {
		if p.AmountType != "metered_unit" || p.IsArchived || p.UnitAmount == nil {
			continue
		}
		price += " plus " + f.decimalMoney(*p.UnitAmount, p.Currency) + " per unit"
		if p.Meter != nil && clean(p.Meter.Name) != "" {
			price += " of " + clean(p.Meter.Name)
		}
		if p.CapAmount != nil {
			price += " (capped at " + f.money(*p.CapAmount, p.Currency) + ")"
		}
	}
	return price
}

// discountText names a subscription's discount and when it stops
// applying (nil: it does not, or Polar does not say).
func discountText(s polar.Subscription) (string, *time.Time) {
	d := s.Discount
	if d == nil {
		return "", nil
	}
	name := clean(d.Name)
	if name == "" {
		name = "a discount"
	}
	switch d.Duration {
	case "repeating":
		if start := firstInstant(s.StartedAt, s.CurrentPeriodStart); start != nil && d.DurationInMonths > 0 {
			end := start.AddDate(0, d.DurationInMonths, 0)
			return name, &end
		}
	case "once":
		return name + " (this period only)", nil
	}
	return name, nil
}

// scheduledChanges says what Polar will do to a subscription at its next
// period or at a set date, beyond a cancellation at the period's end.
func scheduledChanges(f format, s polar.Subscription, plans map[string]string) []ChangeView {
	var out []ChangeView
	if s.PauseAtPeriodEnd && s.Status != "paused" {
		out = append(out, ChangeView{Description: "pauses at the end of the current period", At: instant(s.CurrentPeriodEnd)})
	}
	if u := s.PendingUpdate; u != nil && u.ProductID == nil && u.Seats != nil {
		// A seat change, not a plan change.
		desc := fmt.Sprintf("seats change to %d", *u.Seats)
		if s.Seats != nil {
			desc = fmt.Sprintf("seats go from %d to %d", *s.Seats, *u.Seats)
		}
		out = append(out, ChangeView{Description: desc, At: firstInstant(u.AppliesAt, s.CurrentPeriodEnd)})
	} else if u != nil {
		desc := "changes plan at the next period"
		if u.ProductID != nil {
			if name := plans[*u.ProductID]; name != "" {
				desc = "changes to " + name + " at the next period"
			}
		}
		if u.Seats != nil {
			desc += fmt.Sprintf(" (%d seats)", *u.Seats)
		}
		out = append(out, ChangeView{Description: desc, At: firstInstant(u.AppliesAt, s.CurrentPeriodEnd)})
	}
	if !s.CancelAtPeriodEnd && s.EndsAt != nil && s.Status != "canceled" && !endsBeforeBilling(s) {
		out = append(out, ChangeView{Description: "ends (no charges after that)", At: instant(s.EndsAt)})
	}
	return out
}

func meterViews(f format, ms []polar.SubscriptionMeter) []MeterView {
	var out []MeterView
	for _, m := range ms {
		name := "usage"
		if m.Meter != nil && clean(m.Meter.Name) != "" {
			name = clean(m.Meter.Name)
		}
		out = append(out, MeterView{Name: name, Consumed: m.ConsumedUnits, Credited: m.CreditedUnits,
			Balance: m.CreditedUnits - m.ConsumedUnits, Amount: m.Amount, Usage: usageText(f, m.ConsumedUnits, m.CreditedUnits)})
	}
	return out
}

// meterLine writes a meter's usage so far ("API requests: 63,200 used of
// 10,000 included, $266.00 so far this period").
func meterLine(f format, m MeterView, cur string) string {
	line := m.Name + ": " + m.Usage
	if m.Amount > 0 || cur != "" {
		line += ", " + f.money(m.Amount, cur) + " so far this period"
	}
	return line
}

// usageText writes a meter's use against its credits: "12,840 used of
// 10,000 credited (2,840 over)", "4,210 used of 10,000 credited (5,790
// left)", or "4,210 used" without credits.
func usageText(f format, consumed, credited float64) string {
	s := f.count(consumed) + " used"
	if credited <= 0 {
		return s
	}
	s += " of " + f.count(credited) + " credited"
	switch {
	case consumed > credited:
		s += " (" + f.count(consumed-credited) + " over)"
	case consumed < credited:
		s += " (" + f.count(credited-consumed) + " left)"
	}
	return s
}
