// Package tools holds polar-mcp's eight MCP tools. Each tool is one
// constructor returning the tool definition and its handler; handlers read
// the caller's verified identity from the context (set by the transport),
// ask the Polar adapter for the fewest upstream requests they need, and turn
// every failure into a tool result with isError set.
package tools

import (
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// The tool names are the public contract.
const (
	NameSubscriptionStatus = "get_subscription_status"
	NameOrderHistory       = "get_order_history"
	NamePortalLink         = "get_customer_portal_link"
	NameBenefits           = "get_benefits"
	NameProducts           = "get_products"
	NameManageSubscription = "manage_subscription"
	NameVisitorInsights    = "get_visitor_insights"
)

// All returns every tool for deps. readOnly drops the two tools that create
// a customer portal session, the only write polar-mcp makes.
func All(deps Deps, readOnly bool) []server.ServerTool {
	tools := []server.ServerTool{
		SubscriptionStatus(deps),
		OrderHistory(deps),
		Benefits(deps),
		Products(deps),
		VisitorInsights(deps),
		FindCustomers(deps),
	}
	if !readOnly {
		tools = append(tools, PortalLink(deps), ManageSubscription(deps))
	}
	return tools
}

// agentOnly reports whether a tool is for support agents only.
func agentOnly(name string) bool { return AgentOnly(name) }

// AgentOnly reports whether only support agents may call the tool name
// (it is hidden from, and refused to, customers).
func AgentOnly(name string) bool { return name == NameVisitorInsights || name == NameFindCustomers }

// readOnly marks a tool that only reads from Polar. (idempotentHint is
// left out: the spec gives it meaning only for tools that write.)
// The title is the tool's top-level title (which the spec prefers over
// annotations.title, so it is not sent twice). Every tool reads or writes
// only the merchant's Polar organization: openWorldHint is false.
func readOnly(title string) mcp.ToolOption {
	return annotated(title, mcp.ToolAnnotation{ReadOnlyHint: ptr(true), DestructiveHint: ptr(false)})
}

func annotated(title string, a mcp.ToolAnnotation) mcp.ToolOption {
	return func(t *mcp.Tool) {
		t.Title = title
		a.OpenWorldHint = ptr(false)
		mcp.WithToolAnnotation(a)(t)
	}
}

// createsSession marks a tool that creates a customer portal session: not
// read-only, not destructive, and each call makes a new session.
func createsSession(title string) mcp.ToolOption {
	return annotated(title, mcp.ToolAnnotation{ReadOnlyHint: ptr(false), DestructiveHint: ptr(false)})
}
