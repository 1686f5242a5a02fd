package polarmcp

import (
	"context"
	"net/http"

	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/internal/hosted"
	"github.com/polar-mcp/polar-mcp/internal/panel"
	"github.com/polar-mcp/polar-mcp/tools"
)

// agentDesk mounts the panel's desk actions under prefix, behind h's
// token checks and agentsOnly, each one tool call through srv (so the
// per-caller limit, the audit line and the role filter apply as to any
// MCP client's call):
//
//   - api/search: find_customers {query};
//   - api/portal-link: get_customer_portal_link {email} (501 in
//     read-only mode, where the tool does not exist);
//   - api/invoices: get_order_history {email, limit 3, invoice_links}.
func (e *Endpoint) agentDesk(prefix string, h *hosted.Handler, srv *server.MCPServer) {
	routes := []struct {
		action string
		tool   string
		args   func(string) map[string]any
	}{
		{panel.DeskSearch, tools.NameFindCustomers, func(q string) map[string]any { return map[string]any{"query": q} }},
		{panel.DeskPortalLink, tools.NamePortalLink, func(email string) map[string]any { return map[string]any{"email": email} }},
		{panel.DeskInvoices, tools.NameOrderHistory, func(email string) map[string]any {
			return map[string]any{"email": email, "limit": 3, "invoice_links": true}
		}},
	}
	for _, rt := range routes {
		e.mux.Handle(prefix+"/agent/api/"+rt.action,
			h.Authenticate(agentsOnly(panel.NewDeskAPI(rt.action, toolVia(srv, rt.tool, rt.args)))))
	}
}

// toolVia is a desk action: the tool called through srv in the request's
// context, its structuredContent the answer. An isError result is the
// agent's message with 429 for a rate limit, 502 otherwise; a tool the
// server does not have is 501.
func toolVia(srv *server.MCPServer, tool string, args func(string) map[string]any) panel.DeskFunc {
	return func(ctx context.Context, _ *http.Request, arg string) (any, error) {
		res, err := panel.CallInProcess(ctx, srv, tool, args(arg))
		if err != nil {
			return nil, err
		}
		if res == nil {
			return nil, &panel.APIError{Status: http.StatusNotImplemented, Code: "not_available",
				Message: "This server does not offer that (" + tool + " is not available here)."}
		}
		return panel.Answer(res)
	}
}
