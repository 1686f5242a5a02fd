package polarmcp

import (
	"context"
	"log/slog"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/buildinfo"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/tools"
)

// CallTool calls one tool through mcp-go's in-process client, exactly as
// an MCP client would (`polar-mcp call`): as the caller cfg configures
// (caller.Configured), with the single merchant's adapter.
func CallTool(ctx context.Context, cfg config.Config, log *slog.Logger, name string, args map[string]any) (*mcp.CallToolResult, error) {
	adapters, err := NewAdapters(cfg, log)
	if err != nil {
		return nil, err
	}
	pc, err := adapters.Merchant()
	if err != nil {
		return nil, err
	}
	ctx = tools.WithClient(ctx, pc)
	if id, ok := caller.Configured(cfg); ok {
		ctx = caller.With(ctx, id)
	}
	c, err := client.NewInProcessClient(NewToolsServer(cfg, log, nil))
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if err := c.Start(ctx); err != nil {
		return nil, err
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "polar-mcp call", Version: buildinfo.Read().Version}
	if _, err := c.Initialize(ctx, init); err != nil {
		return nil, err
	}
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	return c.CallTool(ctx, req)
}
