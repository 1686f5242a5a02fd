package tools

import (
	"context"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/polar-mcp/polar-mcp/polar"
)

// DeskFacts (get_visitor_insights's "desk") are what it tells an agent about the
// customer beyond their plan: who they are in Polar (ids, since when),
// what they have paid, and where to open them in Polar's dashboard.
type DeskFacts struct {
	CustomerID    string        `json:"customer_id,omitempty"`
	ExternalID    string        `json:"external_id,omitempty"`
	CustomerSince *time.Time    `json:"customer_since,omitempty"`
	LifetimeValue *LifetimeView `json:"lifetime_value,omitempty"`
	DashboardURL  string        `json:"dashboard_url,omitempty"`
}

// LifetimeView is what a customer has paid: paid orders, tax included,
// net of refunds, per currency (the customer's own first).
type LifetimeView struct {
	Total   string        `json:"total"` // e.g. "€67.20", or "€67.20 + $26.00"
	Amounts []MoneyAmount `json:"amounts"`
	Paid    int           `json:"paid_orders"`
	Orders  int           `json:"orders"`
	Partial bool          `json:"partial,omitempty"` // more orders than were read
}

// MoneyAmount is an amount in minor units of an upper-case currency.
type MoneyAmount struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// deskReads is what the desk facts need from Polar.
type deskReads struct {
	hist *polar.OrderHistory // nil: not read
	slug string              // "": not known
	host string
}

// readDesk reads the order history (kept by the cache for a while) and
// the organization's slug (kept a day) in parallel. Neither is worth
// failing the insights for: what cannot be read is left out.
func readDesk(ctx context.Context, c polar.Client, customerID string) deskReads {
	d, ok := c.(polar.Desk)
	if !ok || customerID == "" {
		return deskReads{}
	}
	r := deskReads{host: d.DashboardHost()}
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.slug, _ = d.OrganizationSlug(ctx)
	}()
	hist, err := d.OrderHistory(ctx, polar.ByID(customerID))
	<-done
	if err == nil {
		r.hist = hist
	}
	return r
}

// facts are the desk facts about cust, the customer record checked for
// this answer; currency is their live plan's.
func (r deskReads) facts(f format, cust *polar.Customer, currency string) *DeskFacts {
	facts := &DeskFacts{CustomerID: cust.ID, ExternalID: clean(cust.External()), CustomerSince: instant(&cust.CreatedAt)}
	if r.hist != nil {
		facts.LifetimeValue = lifetimeView(f, r.hist, currency)
	}
	if r.slug != "" && cust.ID != "" {
		facts.DashboardURL = r.host + "/dashboard/" + url.PathEscape(r.slug) + "/customers/" + url.PathEscape(cust.ID)
	}
	return facts
}

// lifetimeView sums the history, the currency of the customer's live
// plan (or their most used) first.
func lifetimeView(f format, h *polar.OrderHistory, currency string) *LifetimeView {
	v := &LifetimeView{Amounts: []MoneyAmount{}, Paid: h.Paid, Orders: h.Orders, Partial: h.Partial}
	for cur, n := range h.Net {
		v.Amounts = append(v.Amounts, MoneyAmount{Amount: n, Currency: strings.ToUpper(cur)})
	}
	mine := strings.ToUpper(currency)
	sort.Slice(v.Amounts, func(i, j int) bool {
		a, b := v.Amounts[i], v.Amounts[j]
		if (a.Currency == mine) != (b.Currency == mine) {
			return a.Currency == mine
		}
		if a.Amount != b.Amount {
			return a.Amount > b.Amount
		}
		return a.Currency < b.Currency
	})
	parts := make([]string, 0, len(v.Amounts))
	for _, a := range v.Amounts {
		parts = append(parts, f.money(a.Amount, a.Currency))
	}
	if len(parts) == 0 {
		parts = append(parts, f.money(0, currency))
	}
	v.Total = strings.Join(parts, " + ")
	return v
}

// deskText is the desk facts' line of the insights text.
func deskText(f format, d *DeskFacts) string {
	if d == nil {
		return ""
	}
	var parts []string
	if d.CustomerSince != nil {
		parts = append(parts, "customer since "+f.day(d.CustomerSince))
	}
	if lv := d.LifetimeValue; lv != nil {
		s := "lifetime value " + lv.Total + " (paid orders incl. tax, net of refunds)"
		if lv.Partial {
			s += ", from the first " + f.count(float64(lv.Orders)) + " orders only"
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return ""
	}
	line := "\n" + strings.ToUpper(parts[0][:1]) + parts[0][1:]
	if len(parts) > 1 {
		line += "; " + strings.Join(parts[1:], "; ")
	}
	return line
}
