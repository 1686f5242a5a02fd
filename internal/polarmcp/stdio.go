package polarmcp

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/fleet"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/internal/observe"
	stdioedge "github.com/polar-mcp/polar-mcp/internal/stdio"
	"github.com/polar-mcp/polar-mcp/tools"
)

// RunStdio serves MCP over in and out until ctx ends or in closes, for the
// one organization and the one caller cfg (validated) names. Logs go to
// log only: out carries the protocol.
// Metrics are served on their own listener when cfg.MetricsListen is
// set, and traces exported when the OTEL_* variables ask for it.
func RunStdio(ctx context.Context, cfg config.Config, in io.Reader, out io.Writer, log *slog.Logger) error {
	tel, err := observe.NewTelemetry(ctx, log, nil)
	if err != nil {
		return err
	}
	defer tel.Flush(log)
	stopMetrics, err := tel.ListenMetrics(ctx, cfg.MetricsListen, log, nil, nil)
	if err != nil {
		return err
	}
	defer stopMetrics()
	adapters, err := NewAdapters(cfg, log)
	if err != nil {
		return err
	}
	client, err := adapters.Observed(tel.Observer).Merchant()
	if err != nil {
		return err
	}
	if !cfg.Demo {
		// Asked once initialize is answered, not while answering it.
		out = stdioedge.AfterFirstAnswer(ctx, out, reachDelay, func() {
			client.ReportReachable(ctx, fleet.ReachInBackground)
		})
	}
	id, ok := caller.Configured(cfg)
	if !ok {
		log.Warn("no caller identity configured: customer tools will refuse; " +
			"set POLAR_MCP_CUSTOMER_EMAIL, POLAR_MCP_CUSTOMER_EXTERNAL_ID or POLAR_MCP_ROLE=agent")
	}
	tsrv := NewToolsServer(cfg, log, tel)
	srv := server.NewStdioServer(tsrv)
	srv.SetContextFunc(func(ctx context.Context) context.Context {
		ctx = tools.WithClient(observe.WithTransport(ctx, observe.TransportStdio), client)
		if !ok {
			return ctx
		}
		return caller.With(ctx, id)
	})
	in, out = stdioedge.Guard(in, out, stdioedge.MaxLine, tsrv, log)
	return srv.Listen(ctx, in, out)
}

// reachDelay is how long a stdio server waits for its first answer before
// asking Polar whether it is reachable all the same.
const reachDelay = time.Second
