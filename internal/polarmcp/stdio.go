package polarmcp

import (
	"context"
	"io"
	"log/slog"

	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/caller"
	"github.com/polar-mcp/polar-mcp/config"
)

// RunStdio serves MCP over in and out until ctx ends or in closes, for the
// one organization and the one caller cfg (validated) names. Logs go to
// log only: out carries the protocol.
func RunStdio(ctx context.Context, cfg config.Config, in io.Reader, out io.Writer, log *slog.Logger) error {
	adapters := NewAdapters(cfg, log)
	client, err := adapters.Merchant()
	if err != nil {
		return err
	}
	id, ok := StdioIdentity(cfg)
	if !ok {
		log.Warn("no caller identity configured: customer tools will refuse; " +
			"set POLAR_MCP_CUSTOMER_EMAIL, POLAR_MCP_CUSTOMER_EXTERNAL_ID or POLAR_MCP_ROLE=agent")
	}
	stdio := server.NewStdioServer(NewToolsServer(cfg, Always(client), log))
	stdio.SetContextFunc(func(ctx context.Context) context.Context {
		if !ok {
			return ctx
		}
		return caller.With(ctx, id)
	})
	guarded := &lockedWriter{w: out}
	return stdio.Listen(ctx, newLineGuard(in, guarded, maxStdioLine, log), guarded)
}
