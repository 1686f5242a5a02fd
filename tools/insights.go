package tools

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"golang.org/x/sync/errgroup"

	"github.com/polar-mcp/polar-mcp/caller"
	"github.com/polar-mcp/polar-mcp/polar"
)

// insightOrders is how many recent orders an insight shows.
const insightOrders = 3

// InsightsInput is get_visitor_insights's input.
type InsightsInput struct {
	Email string `json:"email" jsonschema:"The customer's email address."`
}

// InsightsOutput is get_visitor_insights's structured answer: the main
// plan's facts as fields, the rest as one line each.
type InsightsOutput struct {
	Subject
	Name           string   `json:"name,omitempty"`
	CustomerType   string   `json:"customer_type,omitempty"`
	Plan           string   `json:"plan,omitempty"`
	Status         string   `json:"status,omitempty"`
	NextBilling    string   `json:"next_billing_date,omitempty"`
	Subscriptions  []string `json:"subscriptions"`
	RecentOrders   []string `json:"recent_orders"`
	ActiveBenefits []string `json:"active_benefits"`
}

// VisitorInsights is the agent-only get_visitor_insights tool.
func VisitorInsights(deps Deps) server.ServerTool {
	tool := mcp.NewTool(NameVisitorInsights,
		mcp.WithDescription("Agents only: a customer at a glance by email (plan, status, next billing, last orders, benefits)."),
		input[InsightsInput](),
		output[InsightsOutput](),
		readOnly("Visitor insights"),
	)
	return server.ServerTool{Tool: tool, Handler: mcp.NewTypedToolHandler(
		func(ctx context.Context, _ mcp.CallToolRequest, in InsightsInput) (*mcp.CallToolResult, error) {
			if id, _ := caller.From(ctx); id.Role != caller.Agent {
				return failure(ctx, deps, NameVisitorInsights, errors.New("get_visitor_insights is for support agents only")), nil
			}
			if strings.TrimSpace(in.Email) == "" {
				return failure(ctx, deps, NameVisitorInsights, errors.New("email is required: pass the customer's email address")), nil
			}
			newOut := func() *InsightsOutput {
				return &InsightsOutput{Subscriptions: []string{}, RecentOrders: []string{}, ActiveBenefits: []string{}}
			}
			return forCustomer(ctx, deps, NameVisitorInsights, in.Email, newOut, func(t *target, out *InsightsOutput) (string, error) {
				if err := insights(ctx, t, out); err != nil {
					return "", err
				}
				return insightText(*out), nil
			}), nil
		})}
}

// insights gathers the customer's subscriptions, orders and benefits with
// independent requests in parallel.
func insights(ctx context.Context, t *target, out *InsightsOutput) error {
	var (
		subs   []polar.Subscription
		orders []polar.Order
		state  *polar.CustomerState
		names  map[string]string
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { subs, err = t.client.ListSubscriptions(gctx, t.ref()); return err })
	g.Go(func() (err error) { orders, err = t.client.ListOrders(gctx, t.ref(), insightOrders); return err })
	g.Go(func() (err error) { state, names, err = grantsWithNames(gctx, t); return err })
	if err := g.Wait(); err != nil {
		return err
	}
	if err := t.check(&state.Customer); err != nil {
		return err
	}
	if err := checkAll(t, subs, subCustomer); err != nil {
		return err
	}
	if err := checkAll(t, orders, orderCustomer); err != nil {
		return err
	}
	// The customer state checked above is the current record: name and
	// type come from it, not from the lookup.
	out.Name = clean(state.Name)
	out.CustomerType = clean(state.Type)
	for i, v := range subscriptionViews(subs) {
		if i == 0 {
			out.Plan, out.Status, out.NextBilling = v.Plan, v.Status, v.NextBilling
		}
		out.Subscriptions = append(out.Subscriptions, subscriptionLine(v))
	}
	for i, o := range orders {
		if i == insightOrders {
			break
		}
		v := orderView(o)
		out.RecentOrders = append(out.RecentOrders, fmt.Sprintf("%s %s %s (%s)", v.Date, v.Item, v.Total, strings.ReplaceAll(v.Status, "_", " ")))
	}
	for _, b := range benefitViews(state.GrantedBenefits, names) {
		out.ActiveBenefits = append(out.ActiveBenefits, b.Name)
	}
	return nil
}

func insightText(out InsightsOutput) string {
	var b strings.Builder
	who := out.Email
	if out.Name != "" {
		who = out.Name + " <" + out.Email + ">"
	}
	fmt.Fprintf(&b, "%s (%s customer)", who, out.CustomerType)
	if len(out.Subscriptions) == 0 {
		b.WriteString("\nPlan: none")
	}
	for _, s := range out.Subscriptions {
		b.WriteString("\nPlan: " + s)
	}
	if len(out.RecentOrders) > 0 {
		b.WriteString("\nRecent orders: " + strings.Join(out.RecentOrders, "; "))
	}
	if len(out.ActiveBenefits) > 0 {
		b.WriteString("\nActive benefits: " + strings.Join(out.ActiveBenefits, ", "))
	} else {
		b.WriteString("\nActive benefits: none")
	}
	return b.String()
}
