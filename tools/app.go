package tools

import (
	"context"
	"fmt"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/caller"
	"github.com/polar-mcp/polar-mcp/panel"
)

// legacyResourceURIKey is the flat _meta key older MCP Apps hosts read
// (the extension's ext-apps SDK still sets it beside ui.resourceUri).
const legacyResourceURIKey = "ui/resourceUri"

// AppResource is the MCP App resource get_visitor_insights links to: the
// insights card (panel.AppHTML) as ui://polar-mcp/insights.html with the
// MCP Apps MIME type. Like the tool, it is for agents only: customers
// neither list nor read it (see NewServer).
func AppResource() server.ServerResource {
	res := mcp.NewResource(panel.AppURI, panel.AppName,
		mcp.WithResourceDescription("The card get_visitor_insights renders for support agents."),
		mcp.WithMIMEType(panel.AppMIMEType),
	)
	return server.ServerResource{Resource: res, Handler: func(context.Context, mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
		return []mcp.ResourceContents{mcp.TextResourceContents{
			URI: panel.AppURI, MIMEType: panel.AppMIMEType, Text: panel.AppHTML(),
			// The card loads nothing from any origin: no CSP domains needed.
			Meta: map[string]any{"ui": map[string]any{"prefersBorder": true}},
		}}, nil
	}}
}

// withApp links a tool to the MCP App resource: _meta.ui.resourceUri, and
// the legacy flat key for older hosts.
func withApp(uri string) mcp.ToolOption {
	return func(t *mcp.Tool) {
		t.Meta = mcp.NewMetaFromMap(map[string]any{
			"ui":                 map[string]any{"resourceUri": uri},
			legacyResourceURIKey: uri,
		})
	}
}

// agentOnlyResource reports whether a resource is for support agents only.
func agentOnlyResource(uri string) bool { return uri == panel.AppURI }

// agentResources refuses an agent-only resource to every caller who is
// not an agent, answering as for a resource that does not exist.
func agentResources(next server.ResourceHandlerFunc) server.ResourceHandlerFunc {
	return func(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
		if id, _ := caller.From(ctx); id.Role != caller.Agent && agentOnlyResource(req.Params.URI) {
			return nil, fmt.Errorf("handler not found for resource URI '%s': %w", req.Params.URI, mcp.ErrResourceNotFound)
		}
		return next(ctx, req)
	}
}

// hideAgentResources drops agent-only resources from the resources/list
// answer of every caller who is not an agent (mcp-go has no resource
// filter, so the answer is trimmed after the fact).
func hideAgentResources(ctx context.Context, _ any, _ *mcp.ListResourcesRequest, res *mcp.ListResourcesResult) {
	if id, _ := caller.From(ctx); id.Role == caller.Agent || res == nil {
		return
	}
	kept := res.Resources[:0:0]
	for _, r := range res.Resources {
		if !agentOnlyResource(r.URI) {
			kept = append(kept, r)
		}
	}
	res.Resources = kept
}

// appHooks are the server's hooks: the resources/list trim.
func appHooks() *server.Hooks {
	h := &server.Hooks{}
	h.AddAfterListResources(hideAgentResources)
	return h
}
