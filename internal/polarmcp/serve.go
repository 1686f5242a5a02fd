package polarmcp

import (
	"context"
	"log/slog"
	"net"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/hosted"
	"github.com/polar-mcp/polar-mcp/internal/observe"
)

// ServeHTTP serves the hosted endpoint cfg (validated with ValidateServer)
// describes until ctx ends, then drains calls in flight and closes
// streams. ready, when not nil, receives the bound address once the
// listener is up (tests listen on port 0). The metrics are served on
// their own listener when cfg.MetricsListen is set, and traces exported when the OTEL_* variables ask
// for it (see observe.NewTelemetry).
func ServeHTTP(ctx context.Context, cfg config.Config, log *slog.Logger, ready chan<- string, opts ...Option) error {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	tel, err := observe.NewTelemetry(ctx, log, nil)
	if err != nil {
		return err
	}
	defer tel.Flush(log)
	e, err := NewEndpoint(ctx, cfg, log, append(opts[:len(opts):len(opts)], WithTelemetry(tel))...)
	if err != nil {
		return err
	}
	defer e.Close()
	stopMetrics, err := tel.ListenMetrics(ctx, cfg.MetricsListen, log, o.metricsReady, e.Readiness())
	if err != nil {
		return err
	}
	defer stopMetrics()
	e.ReportReachable(ctx)
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return err
	}
	ln = hosted.LimitListener(ln, cfg.MaxConnections)
	bg, stopBackground := context.WithCancel(ctx)
	defer stopBackground()
	go e.Run(bg)
	log.Info("serving", slog.String("addr", ln.Addr().String()), slog.String("base_url", cfg.BaseURL),
		slog.String("environment", cfg.Environment), slog.Bool("demo", cfg.Demo), slog.Bool("read_only", cfg.ReadOnly),
		slog.Bool("single_merchant", e.root != nil), slog.Bool("connections", e.conns != nil),
		slog.Bool("admin_api", cfg.AdminKey != "" && e.conns != nil))
	if ready != nil {
		ready <- ln.Addr().String()
	}
	return hosted.Serve(ctx, ln, e, e.Shutdown, log)
}
