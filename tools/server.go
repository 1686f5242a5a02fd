package tools

import (
	"context"
	"encoding/json"
	"log/slog"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// Deps are the collaborators every tool needs. The Polar adapter of the
// call's organization is not one of them: whoever serves the call binds
// it to the call's context (WithClient), next to the verified caller
// (caller.With), at the edge of each transport.
type Deps struct {
	Logger *slog.Logger // slog.Default() when nil
	// Observer is told how each call went; nothing when nil.
	Observer Observer
	// PortalHost is a host portal links may be on besides polar.sh and
	// its subdomains: the configured Polar server's (tests, proxies).
	PortalHost string
	// reflectSchemas has the tools build their schemas by reflection
	// instead of taking the generated ones (schemas_gen.go): only for
	// writing that file and the test that keeps it current.
	reflectSchemas bool
}

// Options shape the server.
type Options struct {
	ReadOnly bool   // drop the two tools that create a portal session
	Version  string // reported in serverInfo
	// Middleware wraps every tool call, first outermost, inside the
	// recovery that turns panics into results (the hosted server passes
	// its per-caller call limit, hosted.LimitCalls).
	Middleware []server.ToolHandlerMiddleware
	// Hooks, when set, are the server's hooks (package observe counts
	// sessions with them); the server adds its own to them.
	Hooks *server.Hooks
	// App, when set, is served as a resource for agents only (customers
	// neither list nor read it) and linked from get_visitor_insights's
	// _meta.ui.resourceUri: the insights card (see tools/app.go).
	App *App
}

// NewServer returns the MCP server with polar-mcp's tools registered. The
// agent-only tool is hidden from, and refused to, every caller whose
// identity is not an agent.
func NewServer(deps Deps, opts Options) *server.MCPServer {
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	if deps.Observer == nil {
		deps.Observer = nopObserver{}
	}
	if opts.Version == "" {
		opts.Version = "dev"
	}
	tools := All(deps, opts.ReadOnly)
	recent := newRecentEmails()
	serverOpts := []server.ServerOption{
		server.WithToolCapabilities(false),
		server.WithToolHandlerMiddleware(recoverAsResult(deps.Logger)),
		server.WithToolHandlerMiddleware(recent.record),
		server.WithCompletions(),
		server.WithPromptCompletionProvider(recent),
		server.WithToolFilter(roleFilter(customerViews(tools))),
		server.WithPromptCapabilities(false),
		server.WithLogging(),
		server.WithPromptFilter(agentPrompts),
		server.WithInstructions(instructions),
	}
	hooks := opts.Hooks
	if hooks == nil {
		hooks = &server.Hooks{}
	}
	hooks.AddOnUnregisterSession(recent.forget)
	if opts.App != nil {
		// The MCP App resource, for agents only (tools/app.go).
		linkApp(tools, *opts.App)
		serverOpts = append(serverOpts, server.WithResourceCapabilities(false, false),
			server.WithResourceHandlerMiddleware(agentResources))
		hooks.AddAfterListResources(hideAgentResources)
	}
	serverOpts = append(serverOpts, server.WithHooks(hooks))
	for _, mw := range opts.Middleware {
		serverOpts = append(serverOpts, server.WithToolHandlerMiddleware(mw))
	}
	s := server.NewMCPServer("polar-mcp", opts.Version, serverOpts...)
	s.AddTools(tools...)
	s.AddPrompts(Prompts()...)
	if opts.App != nil {
		s.AddResources(opts.App.resource())
	}
	return s
}

const instructions = "polar-mcp answers billing questions from the merchant's Polar organization. " +
	"Customer tools always act for the verified caller; never ask the customer for an email to look someone else up. " +
	"Relay the text answers as they stand; they never contain card data, addresses or full license keys."

// roleFilter shows each caller the tools for their role: agents see
// everything; customers do not see agent-only tools, and see the customer
// tools without the email argument, which only agents use.
func roleFilter(customerView map[string]mcp.Tool) server.ToolFilterFunc {
	return func(ctx context.Context, in []mcp.Tool) []mcp.Tool {
		id, _ := caller.From(ctx)
		if id.Role == caller.Agent {
			return in
		}
		out := make([]mcp.Tool, 0, len(in))
		for _, t := range in {
			if agentOnly(t.Name) {
				continue
			}
			if v, ok := customerView[t.Name]; ok {
				t = v
			}
			out = append(out, t)
		}
		return out
	}
}

// customerViews returns, for each tool with an email argument, a copy of
// its definition without that argument: the input schema schemas_gen.go
// holds for it (withoutProperty made it when go generate ./tools ran).
func customerViews(list []server.ServerTool) map[string]mcp.Tool {
	views := map[string]mcp.Tool{}
	for _, st := range list {
		if agentOnly(st.Tool.Name) {
			continue
		}
		if s, _ := generatedSchemas(st.Tool.Name); s.customerInput != "" {
			t := st.Tool
			t.RawInputSchema = json.RawMessage(s.customerInput)
			views[t.Name] = t
		}
	}
	return views
}

// recoverAsResult turns a panic or a Go error from a handler into a tool
// result with isError, so a fault never surfaces as a protocol error and
// never takes the server down.
func recoverAsResult(logger *slog.Logger) server.ToolHandlerMiddleware {
	return func(next server.ToolHandlerFunc) server.ToolHandlerFunc {
		return func(ctx context.Context, req mcp.CallToolRequest) (res *mcp.CallToolResult, err error) {
			defer func() {
				if r := recover(); r != nil {
					logger.Error("tool handler panicked", slog.String("tool", req.Params.Name), slog.Any("panic", r))
					res, err = mcp.NewToolResultError("Internal error while answering; please try again. The problem has been logged."), nil
				}
			}()
			res, err = next(ctx, req)
			if err != nil {
				logger.Error("tool handler failed", slog.String("tool", req.Params.Name), slog.String("error", err.Error()))
				return mcp.NewToolResultError("Unable to answer right now: " + err.Error()), nil
			}
			return res, nil
		}
	}
}
