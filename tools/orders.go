package tools

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/polar"
)

// Order history bounds.
const (
	defaultOrders = 5
	maxOrders     = 20
)

// errLimit is the answer to a limit outside its bounds.
var errLimit = tell(fmt.Sprintf("the limit must be a whole number from 1 to %d", maxOrders))

// OrderHistoryInput is get_order_history's input.
type OrderHistoryInput struct {
	EmailArg
	Limit        *int `json:"limit,omitempty" jsonschema:"How many (default 5)."`
	InvoiceLinks bool `json:"invoice_links,omitempty" jsonschema:"Also fetch invoice links."`
}

// OrderHistoryOutput is get_order_history's structured answer.
type OrderHistoryOutput struct {
	Subject
	Orders []OrderView `json:"orders"`
	Notes  []string    `json:"-"` // said in the text
}

// OrderView is one order as a customer sees it. Totals include tax; a
// refund is what went back, tax included.
type OrderView struct {
	Date          time.Time `json:"date"`
	Item          string    `json:"item"`
	Total         string    `json:"total"`
	Amount        int64     `json:"amount"`
	Tax           int64     `json:"tax"`
	Currency      string    `json:"currency"`
	Status        string    `json:"status"`
	BillingReason string    `json:"billing_reason"`
	Invoice       string    `json:"invoice_number,omitempty"`
	Refunded      int64     `json:"refunded,omitempty"`
	InvoiceURL    string    `json:"invoice_url,omitempty"`
	NoInvoice     bool      `json:"invoice_missing,omitempty"`
	// AppliedBalance is what the customer's account balance paid of the
	// total (minor units); the rest, if any, was charged.
	AppliedBalance int64 `json:"applied_balance,omitempty"`
	// Discount names the discount and DiscountAmount is what it took off
	// (a total of 0 may be a 100% discount).
	Discount       string `json:"discount,omitempty"`
	DiscountAmount int64  `json:"discount_amount,omitempty"`
	Seats          int    `json:"seats,omitempty" jsonschema:"seats bought, for a seat purchase"`
	// Due is what a pending order still owes; RetryAt when Polar retries
	// the payment.
	Due     int64        `json:"amount_due,omitempty"`
	RetryAt *time.Time   `json:"payment_retry_at,omitempty"`
	Dispute *DisputeView `json:"dispute,omitempty"`

	id, invoiceErr string
	paid           bool
}

// OrderHistory is the get_order_history tool.
func OrderHistory(deps Deps) server.ServerTool {
	tool := mcp.NewTool(NameOrderHistory,
		mcp.WithDescription("The customer's recent orders: date, item, total, status, refunds, invoice number."),
		schemas(deps,
			input[OrderHistoryInput](between("limit", 1, maxOrders)),
			output[OrderHistoryOutput]()),
		readOnly("Order history"),
	)
	return server.ServerTool{Tool: tool, Handler: typed(deps, NameOrderHistory,
		func(ctx context.Context, in OrderHistoryInput) *mcp.CallToolResult {
			limit := defaultOrders
			if in.Limit != nil {
				if *in.Limit < 1 || *in.Limit > maxOrders {
					return failure(ctx, deps, NameOrderHistory, errLimit)
				}
				limit = *in.Limit
			}
			f := formatOf(ctx)
			newOut := func() *OrderHistoryOutput { return &OrderHistoryOutput{Orders: []OrderView{}} }
			return forCustomer(ctx, deps, NameOrderHistory, in.Email, newOut, func(t *target, out *OrderHistoryOutput) (string, error) {
				if !t.manages() {
					// As in Polar's portal: a team's orders and invoices are
					// its owner's and billing managers'.
					return t.teamIntro() + "\n" + onlyManagers, nil
				}
				orders, err := t.client.ListOrders(ctx, t.ref(), limit)
				if err == nil {
					err = checkAll(t, orders, orderCustomer)
				}
				if err != nil {
					return "", err
				}
				orders, unread := readable(orders, orderUnreadable)
				for i, o := range orders {
					if i == limit {
						break
					}
					out.Orders = append(out.Orders, orderView(f, o))
				}
				if in.InvoiceLinks {
					invoiceLinks(ctx, t, out.Orders)
				}
				disputeNote, err := disputes(ctx, t, out.Orders)
				if err != nil {
					return "", err
				}
				out.Notes = noteList(disputeNote)
				return orderText(f, *out) + notes(out.Notes...) + unreadableNote(unread, "order", "orders"), nil
			})
		})}
}

func orderView(f format, o polar.Order) OrderView {
	v := OrderView{
		Date:          o.CreatedAt.UTC(),
		Item:          orderItem(o),
		Total:         f.money(o.TotalAmount, o.Currency),
		Amount:        o.TotalAmount,
		Tax:           o.TaxAmount,
		Currency:      strings.ToUpper(o.Currency),
		Status:        clean(o.Status),
		BillingReason: clean(o.BillingReason),
		Refunded:      o.RefundedAmount + o.RefundedTaxAmount,
		id:            o.ID,
		paid:          o.Paid,
	}
	if o.AppliedBalanceAmount > 0 {
		v.AppliedBalance = o.AppliedBalanceAmount
	}
	if o.DiscountAmount > 0 {
		v.DiscountAmount = o.DiscountAmount
		if o.Discount != nil {
			v.Discount = clean(o.Discount.Name)
		}
	}
	if o.Seats != nil && *o.Seats > 0 {
		v.Seats = *o.Seats
	}
	if !o.Paid && o.Status == "pending" {
		v.Due = o.DueAmount
		if v.Due == 0 {
			v.Due = o.TotalAmount
		}
		v.RetryAt = instant(o.NextPaymentAttemptAt)
	}
	if o.InvoiceNumber != nil {
		v.Invoice = clean(*o.InvoiceNumber)
	}
	return v
}

// invoiceLinks fetches the invoice link of each paid order, one request
// each, in parallel: an enrichment. A missing invoice is said, never
// generated; a link that cannot be fetched is said on its order, and
// logged once.
func invoiceLinks(ctx context.Context, t *target, orders []OrderView) {
	c := t.client
	var (
		mu     sync.Mutex
		failed error
	)
	done := make(chan struct{})
	n := 0
	for i := range orders {
		if !orders[i].paid {
			continue
		}
		n++
		go func(v *OrderView) {
			defer func() { done <- struct{}{} }()
			inv, err := c.OrderInvoice(ctx, v.id)
			switch {
			case errors.Is(err, polar.ErrNoInvoice):
				v.NoInvoice = true
			case err != nil:
				v.invoiceErr = "invoice link unavailable right now"
				mu.Lock()
				failed = err
				mu.Unlock()
			default:
				v.InvoiceURL = inv.URL
			}
		}(&orders[i])
	}
	for ; n > 0; n-- {
		<-done
	}
	if failed != nil {
		// The note is on each order; the failure is only logged.
		_, _ = t.enrichFailed(ctx, "orders:invoice", failed, "")
	}
}

func orderItem(o polar.Order) string {
	if o.Product != nil && clean(o.Product.Name) != "" {
		return clean(o.Product.Name)
	}
	if d := clean(o.Description); d != "" {
		return d
	}
	if len(o.Items) > 0 {
		return clean(o.Items[0].Label)
	}
	return "Order"
}

// reason words Polar's billing reasons for a customer; a reason added
// later is shown as Polar names it.
func reason(r string) string {
	switch r {
	case "purchase":
		return "one-time purchase"
	case "subscription_create":
		return "new subscription"
	case "subscription_cycle":
		return "renewal"
	case "subscription_update":
		return "plan change"
	case "subscription_meter_cycle":
		return "usage charges"
	}
	return strings.ReplaceAll(r, "_", " ")
}

func orderText(f format, out OrderHistoryOutput) string {
	if len(out.Orders) == 0 {
		return fmt.Sprintf("%s has no orders yet.", out.Email)
	}
	var b strings.Builder
	whose := "Your last "
	if f.agent {
		whose = "Their last "
	}
	if len(out.Orders) == 1 {
		b.WriteString(whose + "order, total including tax:")
	} else {
		fmt.Fprintf(&b, "%s%d orders, totals including tax:", whose, len(out.Orders))
	}
	for _, o := range out.Orders {
		fmt.Fprintf(&b, "\n- %s: %s", f.day(&o.Date), orderLine(f, o))
		if o.Invoice != "" {
			fmt.Fprintf(&b, ", invoice %s", o.Invoice)
		}
		switch {
		case o.InvoiceURL != "":
			fmt.Fprintf(&b, ", invoice link (valid for a short time): %s", o.InvoiceURL)
		case o.NoInvoice:
			b.WriteString(", no invoice has been generated for this order yet")
		case o.invoiceErr != "":
			b.WriteString(", " + o.invoiceErr)
		}
	}
	return b.String()
}
