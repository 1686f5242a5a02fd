package tools

import (
	"context"
	"fmt"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// legacyResourceURIKey is the flat _meta key older MCP Apps hosts read
// (the extension's ext-apps SDK still sets it beside ui.resourceUri).
const legacyResourceURIKey = "ui/resourceUri"

// App is an MCP App resource (extension io.modelcontextprotocol/ui):
// HTML a host renders in a sandboxed iframe beside a tool's result. The
// composition root passes panel's insights card.
type App struct {
	URI      string        // ui://...
	Name     string        // display name
	MIMEType string        // text/html;profile=mcp-app
	HTML     func() string // the document, self-contained
}

// resource is the app as a resource with its read handler.
func (a App) resource() server.ServerResource {
	res := mcp.NewResource(a.URI, a.Name,
		mcp.WithResourceDescription("The card get_visitor_insights renders for support agents."),
		mcp.WithMIMEType(a.MIMEType),
	)
	return server.ServerResource{Resource: res, Handler: func(context.Context, mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
		return []mcp.ResourceContents{mcp.TextResourceContents{
			URI: a.URI, MIMEType: a.MIMEType, Text: a.HTML(),
			// The card loads nothing from any origin: no CSP domains needed.
			Meta: map[string]any{"ui": map[string]any{"prefersBorder": true}},
		}}, nil
	}}
}

// linkApp links get_visitor_insights to app in list.
func linkApp(list []server.ServerTool, app App) {
	for i := range list {
		if list[i].Tool.Name == NameVisitorInsights {
			withApp(app.URI)(&list[i].Tool)
		}
	}
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

// agentResources refuses every resource (the only one is the agents'
// app) to every caller who is not an agent, answering as for a resource
// that does not exist.
func agentResources(next server.ResourceHandlerFunc) server.ResourceHandlerFunc {
	return func(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
		if id, _ := caller.From(ctx); id.Role != caller.Agent {
			return nil, fmt.Errorf("handler not found for resource URI '%s': %w", req.Params.URI, mcp.ErrResourceNotFound)
		}
		return next(ctx, req)
	}
}

// hideAgentResources empties the resources/list answer of every caller
// who is not an agent: the only resource is the agents' app (mcp-go has no
// resource filter, so the answer is trimmed after the fact).
func hideAgentResources(ctx context.Context, _ any, _ *mcp.ListResourcesRequest, res *mcp.ListResourcesResult) {
	if id, _ := caller.From(ctx); id.Role != caller.Agent && res != nil {
		res.Resources = []mcp.Resource{}
	}
}
