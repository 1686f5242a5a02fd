package polar_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/polar-mcp/polar-mcp/polar"
)

// TestDecodeCurrentShapes decodes bodies of today's API (testdata/current,
// validated against the 2026-10 OpenAPI document), including every shape
// polar-go v0.5.0 rejects.
func TestDecodeCurrentShapes(t *testing.T) {
	ctx := context.Background()

	t.Run("paused and trialing subscriptions", func(t *testing.T) {
		c, _ := newClient(t, always(ok(fixture(t, "subscriptions_list.json"))))
		subs, err := c.ListSubscriptions(ctx, polar.ByID(customerID))
		if err != nil {
			t.Fatal(err)
		}
		if got := pluck(subs, func(s polar.Subscription) string { return s.Status }); !slices.Equal(got, []string{"active", "paused", "trialing"}) {
			t.Fatalf("statuses = %v", got)
		}
		paused := subs[1]
		if paused.PausedAt == nil || paused.ResumesAt == nil || paused.Seats == nil || *paused.Seats != 3 {
			t.Errorf("paused subscription lost its pause data or seats: %+v", paused)
		}
		if p := paused.Product; p == nil || len(p.Prices) != 1 || p.Prices[0].AmountType != "seat_based" {
			t.Errorf("paused subscription's seat-based product not decoded: %+v", p)
		}
		if subs[2].TrialEnd == nil {
			t.Errorf("trialing subscription lost its trial end")
		}
	})

	t.Run("metered-cycle, draft and void orders", func(t *testing.T) {
		c, _ := newClient(t, always(ok(fixture(t, "orders_list.json"))))
		orders, err := c.ListOrders(ctx, polar.ByID(customerID), 10)
		if err != nil {
			t.Fatal(err)
		}
		if got := pluck(orders, func(o polar.Order) string { return o.Status + "/" + o.BillingReason }); !slices.Equal(got, []string{
			"paid/subscription_meter_cycle", "draft/subscription_cycle", "void/purchase", "paid/subscription_create",
		}) {
			t.Fatalf("orders = %v", got)
		}
		if inv := orders[0].InvoiceNumber; inv == nil || *inv != "INV-0003" {
			t.Errorf("invoice number = %v", inv)
		}
		if len(orders[0].Items) != 1 || orders[0].Items[0].Amount != 1900 {
			t.Errorf("order items = %+v", orders[0].Items)
		}
	})

	t.Run("every price type", func(t *testing.T) {
		c, _ := newClient(t, always(ok(fixture(t, "products_list.json"))))
		products, err := c.ListProducts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(products) != 4 {
			t.Fatalf("got %d products, want 4", len(products))
		}
		prices := map[string]polar.Price{}
		for _, p := range products {
			for _, pr := range p.Prices {
				prices[pr.AmountType] = pr
			}
		}
		if p := prices["fixed"]; p.PriceAmount == nil || *p.PriceAmount != 1900 {
			t.Errorf("fixed price = %+v", p)
		}
		if p := prices["seat_based"]; p.SeatTiers == nil || len(p.SeatTiers.Tiers) != 2 ||
			p.SeatTiers.Tiers[0].PricePerSeat != 900 || p.SeatTiers.Tiers[1].MaxSeats != nil {
			t.Errorf("seat-based price = %+v", p)
		}
		if p := prices["metered_unit"]; p.UnitAmount == nil || *p.UnitAmount != "0.5" || p.Meter == nil || p.Meter.Name != "API calls" {
			t.Errorf("metered price = %+v", p)
		}
		if p := prices["custom"]; p.PresetAmount == nil || *p.PresetAmount != 500 {
			t.Errorf("custom price = %+v", p)
		}
	})

	t.Run("state with trialing subscription and new grant types", func(t *testing.T) {
		c, _ := newClient(t, always(ok(fixture(t, "customer_state.json"))))
		state, err := c.CustomerState(ctx, polar.ByID(customerID))
		if err != nil {
			t.Fatal(err)
		}
		if state.Email != "ada@example.com" || len(state.ActiveSubscriptions) != 1 || state.ActiveSubscriptions[0].Status != "trialing" {
			t.Fatalf("state = %+v", state)
		}
		if got := pluck(state.GrantedBenefits, func(g polar.BenefitGrant) string { return g.BenefitType }); !slices.Equal(got, []string{
			"license_keys", "feature_flag", "slack_shared_channel",
		}) {
			t.Fatalf("grant types = %v", got)
		}
		if got := state.GrantedBenefits[0].Properties.DisplayKey; got != "****-A1B2" {
			t.Errorf("license display key = %q", got)
		}
		if got := state.GrantedBenefits[2].Properties.ChannelName; got != "acme-support" {
			t.Errorf("slack channel = %q", got)
		}
	})

	t.Run("new benefit types", func(t *testing.T) {
		c, _ := newClient(t, always(ok(fixture(t, "benefits_list.json"))))
		benefits, err := c.ListBenefits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := pluck(benefits, func(b polar.Benefit) string { return b.Type + ":" + b.Description }); !slices.Equal(got, []string{
			"license_keys:Pro license key", "feature_flag:Beta features", "slack_shared_channel:Shared Slack channel",
		}) {
			t.Fatalf("benefits = %v", got)
		}
	})

	t.Run("customer session", func(t *testing.T) {
		c, _ := newClient(t, always(reply{status: http.StatusCreated, body: fixture(t, "customer_session.json")}))
		s, err := c.CreateCustomerSession(ctx, polar.ByID(customerID))
		if err != nil {
			t.Fatal(err)
		}
		if s.CustomerPortalURL == "" || s.ExpiresAt.IsZero() || s.CustomerID != customerID {
			t.Errorf("session = %+v", s)
		}
	})
}

// TestDecodeFutureValues makes sure a value no schema knows yet, an enum
// member or a union variant, never fails an answer.
func TestDecodeFutureValues(t *testing.T) {
	ctx := context.Background()

	t.Run("subscription status", func(t *testing.T) {
		body := mutated(t, "subscriptions_list.json", func(d map[string]any) {
			item(d, "items", 0)["status"] = "frozen"
		})
		c, _ := newClient(t, always(ok(body)))
		subs, err := c.ListSubscriptions(ctx, polar.ByID(customerID))
		if err != nil || len(subs) != 3 || subs[0].Status != "frozen" {
			t.Fatalf("got %d subscriptions, err %v", len(subs), err)
		}
	})

	t.Run("order status and billing reason", func(t *testing.T) {
		body := mutated(t, "orders_list.json", func(d map[string]any) {
			item(d, "items", 0)["status"] = "disputed"
			item(d, "items", 1)["billing_reason"] = "interplanetary_cycle"
		})
		c, _ := newClient(t, always(ok(body)))
		orders, err := c.ListOrders(ctx, polar.ByID(customerID), 10)
		if err != nil || len(orders) != 4 || orders[0].Status != "disputed" || orders[1].BillingReason != "interplanetary_cycle" {
			t.Fatalf("orders %+v, err %v", orders, err)
		}
	})

	t.Run("price amount type", func(t *testing.T) {
		body := mutated(t, "products_list.json", func(d map[string]any) {
			price := item(item(d, "items", 0), "prices", 0)
			price["amount_type"] = "per_planet"
			price["planets"] = []any{"mars", "venus"}
		})
		c, _ := newClient(t, always(ok(body)))
		products, err := c.ListProducts(ctx)
		if err != nil || len(products) != 4 || products[0].Prices[0].AmountType != "per_planet" {
			t.Fatalf("products %+v, err %v", products, err)
		}
	})

	t.Run("grant type in state", func(t *testing.T) {
		body := mutated(t, "customer_state.json", func(d map[string]any) {
			g := item(d, "granted_benefits", 1)
			g["benefit_type"] = "quantum_entanglement"
			g["properties"] = map[string]any{"entangled_with": "bob", "spin": 0.5}
			item(d, "active_subscriptions", 0)["status"] = "frozen"
		})
		c, _ := newClient(t, always(ok(body)))
		state, err := c.CustomerState(ctx, polar.ByID(customerID))
		if err != nil || len(state.GrantedBenefits) != 3 || state.GrantedBenefits[1].BenefitType != "quantum_entanglement" {
			t.Fatalf("state %+v, err %v", state, err)
		}
	})

	t.Run("benefit type", func(t *testing.T) {
		body := mutated(t, "benefits_list.json", func(d map[string]any) {
			b := item(d, "items", 0)
			b["type"] = "quantum_entanglement"
			b["properties"] = map[string]any{"pairs": 2}
		})
		c, _ := newClient(t, always(ok(body)))
		benefits, err := c.ListBenefits(ctx)
		if err != nil || len(benefits) != 3 || benefits[0].Type != "quantum_entanglement" {
			t.Fatalf("benefits %+v, err %v", benefits, err)
		}
	})

	t.Run("customer type", func(t *testing.T) {
		body := mutated(t, "customers_list.json", func(d map[string]any) {
			item(d, "items", 0)["type"] = "guild"
		})
		c, _ := newClient(t, always(ok(body)))
		cust, err := c.FindCustomerByEmail(ctx, "ada@example.com")
		if err != nil || cust.Type != "guild" {
			t.Fatalf("customer %+v, err %v", cust, err)
		}
	})
}

func pluck[T any](items []T, f func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = f(it)
	}
	return out
}
