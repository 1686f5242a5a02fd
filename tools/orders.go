package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/polar"
)

// Order history bounds.
const (
	defaultOrders = 5
	maxOrders     = 20
)

// OrderHistoryInput is get_order_history's input.
type OrderHistoryInput struct {
	EmailArg
	Limit int `json:"limit,omitempty" jsonschema:"How many recent orders, 1 to 20 (default 5)."`
}

// OrderHistoryOutput is get_order_history's structured answer.
type OrderHistoryOutput struct {
	Subject
	Orders []OrderView `json:"orders"`
}

// OrderView is one order as a customer sees it.
type OrderView struct {
	Date          string `json:"date"`
	Item          string `json:"item"`
	Total         string `json:"total"`
	Amount        int64  `json:"amount" jsonschema:"in minor units"`
	Currency      string `json:"currency"`
	Status        string `json:"status" jsonschema:"paid, pending, refunded, partially_refunded, draft or void"`
	BillingReason string `json:"billing_reason"`
	Invoice       string `json:"invoice_number,omitempty"`
	Refunded      string `json:"refunded,omitempty"`
}

// OrderHistory is the get_order_history tool.
func OrderHistory(deps Deps) server.ServerTool {
	tool := mcp.NewTool(NameOrderHistory,
		mcp.WithDescription("The caller's recent orders and invoices: date, item, total, status (paid, pending, refunded, draft, void...), billing reason, invoice number. For \"show my invoices\"."),
		input[OrderHistoryInput](between("limit", 1, maxOrders)),
		output[OrderHistoryOutput](),
		readOnly("Order history"),
	)
	return server.ServerTool{Tool: tool, Handler: mcp.NewTypedToolHandler(
		func(ctx context.Context, _ mcp.CallToolRequest, in OrderHistoryInput) (*mcp.CallToolResult, error) {
			limit := in.Limit
			switch {
			case limit <= 0:
				limit = defaultOrders
			case limit > maxOrders:
				limit = maxOrders
			}
			newOut := func() *OrderHistoryOutput { return &OrderHistoryOutput{Orders: []OrderView{}} }
			return forCustomer(ctx, deps, NameOrderHistory, in.Email, newOut, func(t *target, out *OrderHistoryOutput) (string, error) {
				orders, err := t.client.ListOrders(ctx, t.ref(), limit)
				if err == nil {
					err = checkAll(t, orders, orderCustomer)
				}
				if err != nil {
					return "", err
				}
				for i, o := range orders {
					if i == limit {
						break
					}
					out.Orders = append(out.Orders, orderView(o))
				}
				return orderText(*out), nil
			}), nil
		})}
}

func orderView(o polar.Order) OrderView {
	v := OrderView{
		Date:          day(&o.CreatedAt),
		Item:          orderItem(o),
		Total:         money(o.TotalAmount, o.Currency),
		Amount:        o.TotalAmount,
		Currency:      strings.ToUpper(o.Currency),
		Status:        clean(o.Status),
		BillingReason: clean(o.BillingReason),
	}
	if o.InvoiceNumber != nil {
		v.Invoice = clean(*o.InvoiceNumber)
	}
	if o.RefundedAmount > 0 {
		v.Refunded = money(o.RefundedAmount, o.Currency)
	}
	return v
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

func orderText(out OrderHistoryOutput) string {
	if len(out.Orders) == 0 {
		return fmt.Sprintf("%s has no orders yet.", out.Email)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Last %d order(s):", len(out.Orders))
	for _, o := range out.Orders {
		fmt.Fprintf(&b, "\n- %s: %s (%s), %s, %s", o.Date, o.Item, reason(o.BillingReason), o.Total, strings.ReplaceAll(o.Status, "_", " "))
		if o.Refunded != "" {
			fmt.Fprintf(&b, " (%s refunded)", o.Refunded)
		}
		if o.Invoice != "" {
			fmt.Fprintf(&b, ", invoice %s", o.Invoice)
		}
	}
	return b.String()
}
