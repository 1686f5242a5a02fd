package panel

import (
	"context"
	"net/http"

	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/tools"
)

// desk mounts the panel's desk actions under the prefix, behind Auth's
// token checks and agentsOnly, each one tool call through Server (so the
// per-caller limit, the audit line and the role filter apply as to any
// MCP client's call):
//
//   - api/search: find_customers {query};
//   - api/portal-link: get_customer_portal_link {email} (501 in
//     read-only mode, where the tool does not exist);
//   - api/invoices: get_order_history {email, limit 3, invoice_links}.
func (m Mount) desk() {
	routes := []struct {
		action string
		tool   string
		args   func(string) map[string]any
	}{
		{DeskSearch, tools.NameFindCustomers, func(q string) map[string]any { return map[string]any{"query": q} }},
		{DeskPortalLink, tools.NamePortalLink, func(email string) map[string]any { return map[string]any{"email": email} }},
		{DeskInvoices, tools.NameOrderHistory, func(email string) map[string]any {
			return map[string]any{"email": email, "limit": 3, "invoice_links": true}
		}},
	}
	for _, rt := range routes {
		m.Mux.Handle(m.Prefix+"/agent/api/"+rt.action,
			m.Auth.Authenticate(agentsOnly(NewDeskAPI(rt.action, toolVia(m.Server, rt.tool, rt.args)))))
	}
}

// toolVia is a desk action: the tool called through srv in the request's
// context, its structuredContent the answer. An isError result is the
// agent's message with 429 for a rate limit, 502 otherwise; a tool the
// server does not have is 501.
func toolVia(srv *server.MCPServer, tool string, args func(string) map[string]any) DeskFunc {
	return func(ctx context.Context, _ *http.Request, arg string) (any, error) {
		res, err := CallInProcess(ctx, srv, tool, args(arg))
		if err != nil {
			return nil, err
		}
		if res == nil {
			return nil, &APIError{Status: http.StatusNotImplemented, Code: "not_available",
				Message: "This server does not offer that (" + tool + " is not available here)."}
		}
		return Answer(res)
	}
}
