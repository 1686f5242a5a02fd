package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// The prompt names; both are for support agents only.
const (
	PromptSupportReply     = "support_reply"
	PromptCancellationHelp = "cancellation_help"
)

// The prompts' descriptions: prompts/list and prompts/get both carry them.
const (
	supportReplyDescription = "Draft a reply to a customer's billing question from their Polar data."
	cancellationDescription = "Help a customer who wants to cancel: their plan, what they keep, and how to cancel in the portal."
)

// Prompts returns the MCP prompts for human support agents.
func Prompts() []server.ServerPrompt {
	email := mcp.WithArgument("email", mcp.ArgumentDescription("The customer's email address."), mcp.RequiredArgument())
	return []server.ServerPrompt{
		{Prompt: mcp.NewPrompt(PromptSupportReply,
			mcp.WithPromptDescription(supportReplyDescription),
			email,
			mcp.WithArgument("question", mcp.ArgumentDescription("The customer's question, as they wrote it."), mcp.RequiredArgument()),
		), Handler: agentPrompt(supportReplyDescription, supportReply)},
		{Prompt: mcp.NewPrompt(PromptCancellationHelp,
			mcp.WithPromptDescription(cancellationDescription),
			email,
		), Handler: agentPrompt(cancellationDescription, cancellationHelp)},
	}
}

// rules are the merchant's rules every drafted reply follows.
const rules = "Rules: answer only from the tool results; never invent prices, dates or policies. " +
	"Changes (cancel, change plan, update the card) are made by the customer in the customer portal: offer the link " +
	"(manage_subscription or get_customer_portal_link), never promise to make the change yourself. " +
	"Never ask for or repeat card numbers or other payment details, addresses, tax ids or full license keys. " +
	"Say that subscription prices exclude tax and order totals include it when amounts come up. " +
	"Keep it short and friendly, in the customer's language. " + teamRules

// teamRules are how replies treat members of team accounts (Polar's member
// model), as Polar's customer portal does.
const teamRules = "If the insights show a team account (teams: role owner, billing_manager or member), the email is a member " +
	"of a company's account: only its owner or a billing manager can cancel, change the plan or seats, update the card or " +
	"get the team's invoices; tell a plain member so, and that they should ask their team's owner or billing manager, " +
	"without naming other members or their emails. Speak of the member's own seat (pending: accept the invitation before it " +
	"expires; revoked: ask the owner or a billing manager) and their own benefits only."

func supportReply(args map[string]string) string {
	return fmt.Sprintf("A customer, %s, asked:\n\n%s\n\n"+
		"Call get_visitor_insights with email %q (and get_order_history, get_benefits or get_subscription_status with the same email for details), "+
		"then draft a reply to the customer.\n%s", args["email"], args["question"], args["email"], rules)
}

func cancellationHelp(args map[string]string) string {
	return fmt.Sprintf("The customer %s wants to cancel. Call get_visitor_insights with email %q. "+
		"Draft a reply that says which plan they are on, until when they keep access if they cancel (the end of the paid period), "+
		"any scheduled change already set, and that they cancel themselves in the customer portal (manage_subscription with action cancel gives the link and steps). "+
		"If they are a plain member of a team account, say that only the team's owner or a billing manager can cancel it, "+
		"and offer no cancellation steps. "+
		"Do not argue or add offers the merchant has not made.\n%s", args["email"], args["email"], rules)
}

// agentPrompt refuses anyone but an agent and checks the arguments; its
// result carries the prompt's description. Its errors wrap
// mcp.ErrInvalidParams: the transports answer them with -32602 (invalid
// params), as the specification asks, not -32603.
func agentPrompt(description string, text func(map[string]string) string) server.PromptHandlerFunc {
	return func(ctx context.Context, req mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		if id, _ := caller.From(ctx); id.Role != caller.Agent {
			return nil, fmt.Errorf("this prompt is for support agents only: %w", mcp.ErrInvalidParams)
		}
		args := req.Params.Arguments
		if args == nil {
			args = map[string]string{}
		}
		if config.CheckEmail(caller.NormalizeEmail(args["email"])) != nil {
			return nil, fmt.Errorf("email must be the customer's bare email address, such as jane@example.com: %w", mcp.ErrInvalidParams)
		}
		if q, ok := args["question"]; (ok || req.Params.Name == PromptSupportReply) && strings.TrimSpace(q) == "" {
			return nil, fmt.Errorf("question is required: paste the customer's question: %w", mcp.ErrInvalidParams)
		}
		args["email"] = caller.NormalizeEmail(args["email"])
		return mcp.NewGetPromptResult(description,
			[]mcp.PromptMessage{mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent(text(args)))}), nil
	}
}

// agentPrompts hides the prompts from every caller who is not an agent.
func agentPrompts(ctx context.Context, in []mcp.Prompt) []mcp.Prompt {
	if id, _ := caller.From(ctx); id.Role == caller.Agent {
		return in
	}
	return nil
}
