package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/polar"
)

// ProductsOutput is get_products's structured answer.
type ProductsOutput struct {
	Products []ProductView `json:"products"`
}

// ProductView is one product on sale.
type ProductView struct {
	Name        string      `json:"name"`
	Description string      `json:"description,omitempty"`
	Interval    string      `json:"interval,omitempty" jsonschema:"billing interval; empty for one-time purchases"`
	Prices      []PriceView `json:"prices"`
}

// PriceView is one price of a product.
type PriceView struct {
	Kind    string `json:"kind" jsonschema:"fixed, custom, free, seat_based, metered or another Polar price type"`
	Display string `json:"display" jsonschema:"e.g. $19.00 / month"`
}

// Products is the get_products tool. It needs no identity.
func Products(deps Deps) server.ServerTool {
	tool := mcp.NewTool(NameProducts,
		mcp.WithDescription("Plans and products on sale, with prices (fixed, pay what you want, free, per seat, usage-based) and interval. Needs no account."),
		output[ProductsOutput](),
		readOnly("Products and pricing"),
	)
	return server.ServerTool{Tool: tool, Handler: func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		client, err := FromContext(ctx)
		if err != nil {
			return failure(ctx, deps, NameProducts, err), nil
		}
		products, err := client.ListProducts(ctx)
		if err != nil {
			return failure(ctx, deps, NameProducts, err), nil
		}
		products, unread := readable(products, productUnreadable)
		out := ProductsOutput{Products: []ProductView{}}
		for _, p := range products {
			if p.IsArchived || (p.Visibility != "" && p.Visibility != "public") {
				continue
			}
			out.Products = append(out.Products, productView(p))
		}
		return answer(productText(out)+unreadableNote(unread, "product", "products"), out), nil
	}}
}

func productView(p polar.Product) ProductView {
	v := ProductView{Name: clean(p.Name), Prices: []PriceView{}}
	if p.Description != nil {
		v.Description = clean(*p.Description)
	}
	count := 1
	if p.IntervalCount != nil {
		count = *p.IntervalCount
	}
	if p.RecurringInterval != nil {
		v.Interval = clean(*p.RecurringInterval)
	}
	for _, pr := range p.Prices {
		if pr.IsArchived {
			continue
		}
		interval := v.Interval
		if pr.RecurringInterval != nil && interval == "" {
			interval = clean(*pr.RecurringInterval)
		}
		v.Prices = append(v.Prices, priceView(pr, per(interval, count)))
	}
	return v
}

// priceView describes any Polar price. A type added later is named, not
// an error.
func priceView(p polar.Price, suffix string) PriceView {
	switch p.AmountType {
	case "fixed":
		if p.PriceAmount == nil || *p.PriceAmount == 0 {
			return PriceView{Kind: "free", Display: "Free"}
		}
		return PriceView{Kind: "fixed", Display: money(*p.PriceAmount, p.Currency) + suffix}
	case "free":
		return PriceView{Kind: "free", Display: "Free"}
	case "custom":
		d := "Pay what you want"
		if p.MinimumAmount != nil && *p.MinimumAmount > 0 {
			d += ", minimum " + money(*p.MinimumAmount, p.Currency)
		}
		if p.MaximumAmount != nil {
			d += ", maximum " + money(*p.MaximumAmount, p.Currency)
		}
		if p.PresetAmount != nil {
			d += ", suggested " + money(*p.PresetAmount, p.Currency)
		}
		return PriceView{Kind: "custom", Display: d + suffix}
	case "seat_based":
		return PriceView{Kind: "seat_based", Display: seatTiers(p, suffix)}
	case "metered_unit":
		d := "Usage-based"
		if p.UnitAmount != nil {
			d = decimalMoney(*p.UnitAmount, p.Currency) + " per unit"
		}
		if p.Meter != nil && clean(p.Meter.Name) != "" {
			d += " of " + clean(p.Meter.Name)
		}
		if p.CapAmount != nil {
			d += ", capped at " + money(*p.CapAmount, p.Currency)
		}
		return PriceView{Kind: "metered", Display: d + suffix}
	default:
		return PriceView{Kind: clean(p.AmountType), Display: "See the checkout page for this price"}
	}
}

func seatTiers(p polar.Price, suffix string) string {
	if p.SeatTiers == nil || len(p.SeatTiers.Tiers) == 0 {
		return "Per seat" + suffix
	}
	parts := make([]string, 0, len(p.SeatTiers.Tiers))
	for _, t := range p.SeatTiers.Tiers {
		seats := fmt.Sprintf("%d+ seats", t.MinSeats)
		if t.MaxSeats != nil {
			seats = fmt.Sprintf("%d–%d seats", t.MinSeats, *t.MaxSeats)
		}
		parts = append(parts, fmt.Sprintf("%s per seat%s (%s)", money(t.PricePerSeat, p.Currency), suffix, seats))
	}
	return strings.Join(parts, "; ")
}

func productText(out ProductsOutput) string {
	if len(out.Products) == 0 {
		return "No products are on sale right now."
	}
	var b strings.Builder
	b.WriteString("Available products:")
	for _, p := range out.Products {
		prices := make([]string, 0, len(p.Prices))
		for _, pr := range p.Prices {
			prices = append(prices, pr.Display)
		}
		fmt.Fprintf(&b, "\n- %s: %s", p.Name, strings.Join(prices, " or "))
	}
	return b.String()
}
