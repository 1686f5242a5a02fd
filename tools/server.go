package tools

import (
	"context"
	"log/slog"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/polar"
)

// ClientFunc returns the Polar adapter for the call's organization. In
// single-merchant mode it always returns the same client; in multi-merchant
// mode it picks the connection the request was routed to.
type ClientFunc func(ctx context.Context) (polar.Client, error)

// Deps are the collaborators every tool needs.
type Deps struct {
	Client ClientFunc
	Now    func() time.Time // the clock; time.Now when nil
	Logger *slog.Logger     // slog.Default() when nil
}

// Options shape the server.
type Options struct {
	ReadOnly bool   // drop the two tools that create a portal session
	Version  string // reported in serverInfo
}

// NewServer returns the MCP server with polar-mcp's tools registered. The
// agent-only tool is hidden from, and refused to, every caller whose
// identity is not an agent.
func NewServer(deps Deps, opts Options) *server.MCPServer {
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	if opts.Version == "" {
		opts.Version = "dev"
	}
	s := server.NewMCPServer("polar-mcp", opts.Version,
		server.WithToolCapabilities(false),
		server.WithRecovery(),
		server.WithToolFilter(filterByRole),
		server.WithInstructions(instructions),
	)
	s.AddTools(All(deps, opts.ReadOnly)...)
	return s
}

const instructions = "polar-mcp answers billing questions from the merchant's Polar organization. " +
	"Customer tools always act for the verified caller; never ask the customer for an email to look someone else up. " +
	"Relay the text answers as they stand; they never contain card data, addresses or full license keys."

// filterByRole hides agent-only tools from callers who are not agents.
func filterByRole(ctx context.Context, in []mcp.Tool) []mcp.Tool {
	id, _ := IdentityFrom(ctx)
	out := in[:0:0]
	for _, t := range in {
		if agentOnly(t.Name) && id.Role != RoleAgent {
			continue
		}
		out = append(out, t)
	}
	return out
}
