package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"golang.org/x/sync/errgroup"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/polar"
)

// insightOrders is how many recent orders an insight shows.
const insightOrders = 3

// InsightsInput is get_visitor_insights's input.
type InsightsInput struct {
	Email string `json:"email"`
}

// InsightsOutput is get_visitor_insights's structured answer, in the
// field names of the panel's card (panel.Insights): the live plan's facts
// at the top level, every subscription as one line.
type InsightsOutput struct {
	Subject
	Name         string `json:"name,omitempty"`
	CustomerType string `json:"customer_type,omitempty"`
	*SubscriptionView
	Subscriptions  []string      `json:"subscriptions"`
	RecentOrders   []OrderView   `json:"recent_orders"`
	ActiveBenefits []BenefitView `json:"active_benefits"`
	// InactiveBenefits are grants that give no access now: pending,
	// errored or revoked.
	InactiveBenefits []BenefitView `json:"inactive_benefits"`
	Notes            []string      `json:"-"` // said in the text

	team string     // the team line, for a member of a team
	Desk *DeskFacts `json:"desk,omitempty"`
}

// VisitorInsights is the agent-only get_visitor_insights tool.
func VisitorInsights(deps Deps) server.ServerTool {
	tool := mcp.NewTool(NameVisitorInsights,
		mcp.WithDescription("Agents only: a customer at a glance: plan, dates, usage, orders, benefits, lifetime value."),
		schemas(deps, input[InsightsInput](), output[InsightsOutput]()),
		readOnly("Visitor insights"),
	)
	return server.ServerTool{Tool: tool, Handler: typed(deps, NameVisitorInsights,
		func(ctx context.Context, in InsightsInput) *mcp.CallToolResult {
			if id, _ := caller.From(ctx); id.Role != caller.Agent {
				return failure(ctx, deps, NameVisitorInsights, tell("get_visitor_insights is for support agents only"))
			}
			if strings.TrimSpace(in.Email) == "" {
				return failure(ctx, deps, NameVisitorInsights, tell("email is required: pass the customer's email address"))
			}
			f := formatOf(ctx)
			newOut := func() *InsightsOutput {
				return &InsightsOutput{Subscriptions: []string{}, RecentOrders: []OrderView{}, ActiveBenefits: []BenefitView{}, InactiveBenefits: []BenefitView{}}
			}
			return forCustomer(ctx, deps, NameVisitorInsights, in.Email, newOut, func(t *target, out *InsightsOutput) (string, error) {
				if err := insights(ctx, f, t, out); err != nil {
					return "", err
				}
				return insightText(f, *out) + deskText(f, out.Desk) + notes(out.Notes...), nil
			})
		})}
}

// livePlan picks the subscription an agent asks about: the first that
// still bills or can (active, trialing, past due, paused, unpaid,
// incomplete) before any ended one, whatever their start dates.
func livePlan(views []SubscriptionView) *SubscriptionView {
	for _, live := range []func(string) bool{
		func(s string) bool { return s == "active" || s == "trialing" || s == "past_due" || s == "paused" },
		func(s string) bool { return s != "canceled" },
	} {
		for i := range views {
			if live(views[i].Status) {
				return &views[i]
			}
		}
	}
	if len(views) > 0 {
		return &views[0]
	}
	return nil
}

// insights gathers the customer's subscriptions, orders and benefits with
// independent requests in parallel.
func insights(ctx context.Context, f format, t *target, out *InsightsOutput) error {
	var (
		subs   []polar.Subscription
		orders []polar.Order
		ga     *grants
		desk   deskReads
	)
	// The reads share one reference, taken before any of them runs:
	// grantsWithNames checks the records it reads, which may fill in
	// t.customer while the others are still running.
	ref := t.ref()
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { desk = readDesk(gctx, t.client, ref.ID); return nil })
	g.Go(func() (err error) { subs, err = t.client.ListSubscriptions(gctx, ref); return err })
	g.Go(func() (err error) { orders, err = t.client.ListOrders(gctx, ref, insightOrders); return err })
	g.Go(func() (err error) { ga, err = grantsWithNames(gctx, t); return err })
	if err := g.Wait(); err != nil {
		return err
	}
	state := ga.state
	if err := t.check(&state.Customer); err != nil {
		return err
	}
	if err := checkAll(t, subs, subCustomer); err != nil {
		return err
	}
	if err := checkAll(t, orders, orderCustomer); err != nil {
		return err
	}
	if t.member != nil {
		// A member's own grants, not every member's.
		if err := ownOnly(ctx, t, ga); err != nil {
			return err
		}
		state = ga.state
	}
	keys, keyNote, err := licenseDetails(ctx, t, state.GrantedBenefits)
	if err != nil {
		return err
	}
	// The customer state checked above is the current record: name and
	// type come from it, not from the lookup.
	out.Name = clean(state.Name)
	out.CustomerType = clean(state.Type)
	subs, _ = readable(subs, subUnreadable)
	orders, _ = readable(orders, orderUnreadable)
	views, subNotes, err := subscriptionsWithDetails(ctx, f, t, subs)
	if err != nil {
		return err
	}
	out.SubscriptionView = livePlan(views)
	for _, v := range views {
		out.Subscriptions = append(out.Subscriptions, subscriptionLine(f, v))
	}
	for i, o := range orders {
		if i == insightOrders {
			break
		}
		out.RecentOrders = append(out.RecentOrders, orderView(f, o))
	}
	disputeNote, err := disputes(ctx, t, out.RecentOrders)
	if err != nil {
		return err
	}
	out.ActiveBenefits = benefitViews(f, state, ga.names, keys)
	out.InactiveBenefits = inactiveViews(f, ga)
	out.Notes = noteList(append(subNotes, disputeNote, keyNote, ga.nameNote, ga.inactiveNote)...)
	out.team = agentTeam(ctx, f, t, subs, &out.Subject)
	currency := ""
	if out.SubscriptionView != nil {
		currency = out.SubscriptionView.Currency
	} else if len(orders) > 0 {
		currency = orders[0].Currency
	}
	out.Desk = desk.facts(f, &state.Customer, currency)
	return nil
}

func insightText(f format, out InsightsOutput) string {
	var b strings.Builder
	who := out.Email
	if out.Name != "" {
		who = out.Name + " <" + out.Email + ">"
	}
	if out.team != "" {
		fmt.Fprintf(&b, "%s (a member of the %s customer %s)", out.Email, out.CustomerType, out.Name)
	} else {
		fmt.Fprintf(&b, "%s (%s customer)", who, out.CustomerType)
	}
	b.WriteString(out.team)
	if out.SubscriptionView != nil {
		b.WriteString("\nLive plan: " + subscriptionLine(f, *out.SubscriptionView))
	}
	if len(out.Subscriptions) == 0 {
		b.WriteString("\nPlan: none")
	} else {
		b.WriteString("\nAll subscriptions (prices exclude tax, after discounts): " + strings.Join(out.Subscriptions, " | "))
	}
	if len(out.RecentOrders) > 0 {
		parts := make([]string, 0, len(out.RecentOrders))
		for _, v := range out.RecentOrders {
			parts = append(parts, f.day(&v.Date)+" "+orderLine(f, v))
		}
		b.WriteString("\nRecent orders (incl. tax): " + strings.Join(parts, "; "))
	}
	if len(out.ActiveBenefits) > 0 {
		parts := make([]string, 0, len(out.ActiveBenefits))
		for _, v := range out.ActiveBenefits {
			parts = append(parts, v.Name+" ("+v.Detail+")")
		}
		b.WriteString("\nActive benefits: " + strings.Join(parts, "; "))
	} else {
		b.WriteString("\nActive benefits: none")
	}
	if len(out.InactiveBenefits) > 0 {
		parts := make([]string, 0, len(out.InactiveBenefits))
		for _, v := range out.InactiveBenefits {
			parts = append(parts, v.Name+" ("+v.Status+": "+v.Detail+")")
		}
		b.WriteString("\nNot active: " + strings.Join(parts, "; "))
	}
	return b.String()
}
