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
	// Pricing is what a customer pays, in words: a fixed fee and a
	// metered price are both charged ("plus"), prices in other
	// currencies are alternatives ("or").
	Pricing string `json:"pricing"`
	// Trial is the free trial a new subscriber gets ("14-day free
	// trial"); TrialDays its length in days when Polar gives it in days or
	// weeks.
	Trial     string `json:"trial,omitempty"`
	TrialDays int    `json:"trial_days,omitempty"`
}

// PriceView is one price of a product.
type PriceView struct {
	Kind    string `json:"kind" jsonschema:"fixed, custom, free, seat_based, metered or another Polar price type"`
	Display string `json:"display" jsonschema:"e.g. $19.00 / month"`
	// SeatTierType is how seat tiers apply: volume (every seat at the
	// tier the total falls in) or graduated (each tier's seats at its
	// own price).
	SeatTierType string `json:"seat_tier_type,omitempty"`

	currency string
}

// Products is the get_products tool. It needs no identity.
func Products(deps Deps) server.ServerTool {
	tool := mcp.NewTool(NameProducts,
		mcp.WithDescription("Plans and products on sale: prices, trials, intervals. Needs no account."),
		schemas(deps, output[ProductsOutput]()),
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
		f := formatOf(ctx)
		out := ProductsOutput{Products: []ProductView{}}
		for _, p := range products {
			if p.IsArchived || (p.Visibility != "" && p.Visibility != "public") {
				continue
			}
			out.Products = append(out.Products, productView(f, p))
		}
		return answer(productText(out)+unreadableNote(unread, "product", "products"), out), nil
	}}
}

func productView(f format, p polar.Product) ProductView {
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
		pv := priceView(f, pr, per(interval, count))
		pv.currency = strings.ToUpper(pr.Currency)
		v.Prices = append(v.Prices, pv)
	}
	v.Pricing = pricing(v.Prices)
	v.Trial, v.TrialDays = trial(p)
	return v
}

// pricing joins a product's prices: within a currency, a metered price
// is charged on top of the others ("plus"); each currency is an
// alternative ("or").
func pricing(prices []PriceView) string {
	var order []string
	byCur := map[string][]string{}
	metered := map[string][]string{}
	for _, p := range prices {
		if _, ok := byCur[p.currency]; !ok {
			order = append(order, p.currency)
			byCur[p.currency] = nil
		}
		if p.Kind == "metered" {
			metered[p.currency] = append(metered[p.currency], p.Display)
		} else {
			byCur[p.currency] = append(byCur[p.currency], p.Display)
		}
	}
	var alts []string
	for _, c := range order {
		for _, base := range byCur[c] {
			alts = append(alts, strings.Join(append([]string{base}, metered[c]...), " plus "))
		}
		if len(byCur[c]) == 0 && len(metered[c]) > 0 {
			alts = append(alts, strings.Join(metered[c], " plus "))
		}
	}
	return strings.Join(alts, " or ")
}

// trial describes a product's free trial.
func trial(p polar.Product) (string, int) {
	if p.TrialInterval == nil || p.TrialIntervalCount == nil || *p.TrialIntervalCount <= 0 {
		return "", 0
	}
	n, unit := *p.TrialIntervalCount, clean(*p.TrialInterval)
	days := 0
	switch unit {
	case "day":
		days = n
	case "week":
		days = 7 * n
	}
	return fmt.Sprintf("%d-%s free trial", n, unit), days
}

// priceView describes any Polar price. A type added later is named, not
// an error.
func priceView(f format, p polar.Price, suffix string) PriceView {
	switch p.AmountType {
	case "fixed":
		if p.PriceAmount == nil || *p.PriceAmount == 0 {
			return PriceView{Kind: "free", Display: "Free"}
		}
		return PriceView{Kind: "fixed", Display: f.money(*p.PriceAmount, p.Currency) + suffix}
	case "free":
		return PriceView{Kind: "free", Display: "Free"}
	case "custom":
		d := "Pay what you want"
		if p.MinimumAmount != nil && *p.MinimumAmount > 0 {
			d += ", minimum " + f.money(*p.MinimumAmount, p.Currency)
		}
		if p.MaximumAmount != nil {
			d += ", maximum " + f.money(*p.MaximumAmount, p.Currency)
		}
		if p.PresetAmount != nil {
			d += ", suggested " + f.money(*p.PresetAmount, p.Currency)
		}
		return PriceView{Kind: "custom", Display: d + suffix}
	case "seat_based":
		v := PriceView{Kind: "seat_based", Display: seatTiers(f, p, suffix)}
		if p.SeatTiers != nil && len(p.SeatTiers.Tiers) > 0 {
			v.SeatTierType = tierType(p.SeatTiers)
		}
		return v
	case "metered_unit":
		d := "Usage-based"
		if p.UnitAmount != nil {
			d = f.decimalMoney(*p.UnitAmount, p.Currency) + " per unit"
		}
		if p.Meter != nil && clean(p.Meter.Name) != "" {
			d += " of " + clean(p.Meter.Name)
		}
		if p.CapAmount != nil {
			d += ", capped at " + f.money(*p.CapAmount, p.Currency)
		}
		return PriceView{Kind: "metered", Display: d + suffix}
	default:
		return PriceView{Kind: clean(p.AmountType), Display: "See the checkout page for this price"}
	}
}

func seatTiers(f format, p polar.Price, suffix string) string {
	if p.SeatTiers == nil || len(p.SeatTiers.Tiers) == 0 {
		return "Per seat" + suffix
	}
	parts := make([]string, 0, len(p.SeatTiers.Tiers))
	graduated := tierType(p.SeatTiers) == "graduated"
	for _, t := range p.SeatTiers.Tiers {
		seats := fmt.Sprintf("%d+ seats", t.MinSeats)
		if t.MaxSeats != nil {
			seats = fmt.Sprintf("%d–%d seats", t.MinSeats, *t.MaxSeats)
		}
		if graduated {
			parts = append(parts, fmt.Sprintf("seats %s at %s each", strings.TrimSuffix(strings.TrimSuffix(seats, " seats"), " seat"), f.money(t.PricePerSeat, p.Currency)))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s per seat%s (%s)", f.money(t.PricePerSeat, p.Currency), suffix, seats))
	}
	if graduated {
		return "Per seat, graduated (each range of seats at its own price): " + strings.Join(parts, ", ") + suffix
	}
	if len(parts) > 1 {
		return "Per seat, by volume (every seat at the price of the tier the total falls in): " + strings.Join(parts, "; ")
	}
	return strings.Join(parts, "; ")
}

// tierType is how a seat price's tiers apply; Polar's default is volume.
func tierType(t *polar.SeatTiers) string {
	if t.Type == "graduated" {
		return "graduated"
	}
	return "volume"
}

func productText(out ProductsOutput) string {
	if len(out.Products) == 0 {
		return "No products are on sale right now."
	}
	var b strings.Builder
	b.WriteString("Available products:")
	for _, p := range out.Products {
		fmt.Fprintf(&b, "\n- %s: %s", p.Name, p.Pricing)
		if p.Trial != "" {
			b.WriteString("; " + p.Trial)
		}
		if p.Description != "" {
			b.WriteString(". " + strings.TrimSuffix(shortDescription(p.Description), ".") + ".")
		}
	}
	return b.String()
}

// shortDescription is a description's first sentence, at most 160
// characters.
func shortDescription(d string) string {
	if i := strings.Index(d, ". "); i > 0 {
		d = d[:i+1]
	}
	if r := []rune(d); len(r) > 160 {
		d = string(r[:159]) + "…"
	}
	return d
}
