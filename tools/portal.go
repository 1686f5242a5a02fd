package tools

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// PortalOutput is the structured answer of both link tools.
type PortalOutput struct {
	Subject
	URL       string `json:"portal_url,omitempty"`
	ExpiresAt string `json:"expires_at,omitempty" jsonschema:"RFC 3339"`
	Action    string `json:"action,omitempty"`
}

// PortalLink is the get_customer_portal_link tool.
func PortalLink(deps Deps) server.ServerTool {
	tool := mcp.NewTool(NamePortalLink,
		mcp.WithDescription("A short-lived link to the customer's portal (invoices, card, subscriptions)."),
		schemas(deps, input[EmailArg](), output[PortalOutput]()),
		createsSession("Customer portal link"),
	)
	return server.ServerTool{Tool: tool, Handler: typed(deps, NamePortalLink,
		func(ctx context.Context, in EmailArg) *mcp.CallToolResult {
			res, _ := portal(ctx, deps, NamePortalLink, in.Email, "")
			return res
		})}
}

// ManageInput is manage_subscription's input.
type ManageInput struct {
	EmailArg
	Action string `json:"action,omitempty" jsonschema:"What the customer wants."`
}

// steps frames the portal link for what the customer wants to do.
func steps(action string) (string, bool) {
	switch action {
	case "cancel":
		return "To cancel, open the link, choose your subscription and select Cancel. You keep access until the end of the paid period.", true
	case "change_plan":
		return "To change plan, open the link, choose your subscription and select Change plan.", true
	case "update_payment_method":
		return "To update your card or payment method, open the link and go to Payment methods.", true
	case "other":
		return "Open the link to manage your subscription, invoices and payment methods.", true
	}
	return "", false
}

// ManageSubscription is the manage_subscription tool. It never changes a
// subscription itself: it hands the customer a portal link.
func ManageSubscription(deps Deps) server.ServerTool {
	tool := mcp.NewTool(NameManageSubscription,
		mcp.WithDescription("For cancel, change plan or update card: a portal link with the steps. Changes nothing itself."),
		schemas(deps,
			input[ManageInput](oneOf("action", "cancel", "change_plan", "update_payment_method", "other")),
			output[PortalOutput]()),
		createsSession("Manage subscription"),
	)
	return server.ServerTool{Tool: tool, Handler: typed(deps, NameManageSubscription,
		func(ctx context.Context, in ManageInput) *mcp.CallToolResult {
			action := in.Action
			if action == "" {
				action = "other"
			}
			if _, ok := steps(action); !ok {
				return mcp.NewToolResultError(fmt.Sprintf("unknown action %q: use cancel, change_plan, update_payment_method or other", clean(action)))
			}
			res, _ := portal(ctx, deps, NameManageSubscription, in.Email, action)
			return res
		})}
}

// portal creates a customer session for the caller and frames its link.
func portal(ctx context.Context, deps Deps, tool, argEmail, action string) (*mcp.CallToolResult, error) {
	newOut := func() *PortalOutput { return &PortalOutput{Action: action} }
	return forCustomer(ctx, deps, tool, argEmail, newOut, func(t *target, out *PortalOutput) (string, error) {
		// A session (which can cancel a plan or change a card) is only
		// created for a customer confirmed as the caller right now: looked
		// up from Polar during this call, or kept by a cache that Polar's
		// webhooks keep fresh; never from a lookup that may be stale. Its
		// link is discarded unless the session's own embedded customer is
		// the caller too.
		if !t.lookedUpNow() {
			if err := t.refresh(ctx); err != nil || t.missing {
				return "", err // missing: run answers "not found"
			}
		}
		if t.member != nil && !t.member.Manages() && action != "" && action != "other" {
			// Polar's portal lets a plain member see their seat, not
			// change the team's plan or card: no session for that.
			return t.teamIntro() + "\n" + onlyManagers + " Nothing has been changed.", nil
		}
		sess, err := createSession(ctx, t)
		if err == nil {
			err = t.check(sess.Customer)
		}
		if err == nil {
			err = checkPortalLink(ctx, deps.Logger, sess.CustomerPortalURL, deps.PortalHost)
		}
		if err != nil {
			return "", err
		}
		out.URL = sess.CustomerPortalURL
		out.ExpiresAt = sess.ExpiresAt.UTC().Format(time.RFC3339)
		text := fmt.Sprintf("Here is your secure customer portal link (valid until %s): %s", stamp(sess.ExpiresAt), out.URL)
		if id, _ := caller.From(ctx); id.Role == caller.Agent {
			// An agent gets a link into someone else's account: say whose,
			// and that it is for that customer's eyes only.
			text = fmt.Sprintf("Here is a customer portal link for %s (valid until %s): %s\n"+
				"Send it only to that customer, at that address: it opens their account, where they can change "+
				"their plan and payment method or cancel.", t.email, stamp(sess.ExpiresAt), out.URL)
		}
		if intro := t.teamIntro(); intro != "" {
			text += "\n" + intro + " The link opens it as you, with what your role allows."
		}
		if action != "" {
			how, _ := steps(action)
			if id, _ := caller.From(ctx); id.Role == caller.Agent {
				how = theirSteps(how)
			}
			text += "\n" + how + " Nothing has been changed yet."
		}
		return text, nil
	}), nil
}

// theirSteps words the steps for an agent, who passes them on: the
// customer opens the link to their own account.
func theirSteps(how string) string {
	return strings.NewReplacer("open the link", "they open the link", "Open the link", "They open the link",
		"your subscription", "their subscription", "your card", "their card", "You keep", "They keep",
		"choose your", "choose their", ", choose", ", choose", "and select", "and select").Replace(how)
}
