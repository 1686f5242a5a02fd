package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/hosted"
)

// shutdownGrace bounds how long SIGTERM waits for calls in flight.
const shutdownGrace = 30 * time.Second

func newHTTPCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "http",
		Short: "Serve MCP over legacy SSE (/sse) and streamable HTTP (/mcp) with signed caller tokens",
		Long: "Serves the hosted endpoint a chatbot connects to: legacy SSE at /sse, streamable HTTP at /mcp,\n" +
			"/healthz, /readyz and RFC 9728 protected-resource metadata. Every request needs\n" +
			"Authorization: Bearer <JWT> signed with POLAR_MCP_TOKEN_SECRET (see polar-mcp token).\n\n" +
			"With a connection store (POLAR_MCP_MASTER_KEY, see polar-mcp connections), it also serves every\n" +
			"merchant's connection at /c/{id}/mcp and /c/{id}/sse, with tokens signed by that connection's\n" +
			"secret (aud = id), and the admin API at /admin/connections when POLAR_MCP_ADMIN_KEY is set.\n" +
			"The root endpoint is then served only when POLAR_ACCESS_TOKEN or --demo is configured.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := readConfig(cmd)
			if err != nil {
				return err
			}
			if err := cfg.ValidateServer(); err != nil {
				return err
			}
			logger := slog.New(slog.NewJSONHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: slog.LevelInfo}))
			return serveHTTP(cmd.Context(), cfg, logger, nil)
		},
	}
	addHostedFlags(cmd)
	return cmd
}

// serveHTTP serves the hosted endpoint until ctx ends, then drains calls in
// flight and closes streams. ready, when not nil, receives the bound
// address once the listener is up (tests listen on port 0).
func serveHTTP(ctx context.Context, cfg config.Config, logger *slog.Logger, ready chan<- string) error {
	h, err := newEndpoint(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer h.Close()
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return err
	}
	ln = hosted.LimitListener(ln, cfg.MaxConnections)
	bg, stopBackground := context.WithCancel(ctx)
	defer stopBackground()
	go h.run(bg)
	// No WriteTimeout: SSE streams are long-lived.
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	logger.Info("serving", slog.String("addr", ln.Addr().String()), slog.String("base_url", cfg.BaseURL),
		slog.String("environment", cfg.Environment), slog.Bool("demo", cfg.Demo), slog.Bool("read_only", cfg.ReadOnly),
		slog.Bool("single_merchant", h.root != nil), slog.Bool("connections", h.conns != nil), slog.Bool("admin_api", cfg.AdminKey != "" && h.conns != nil))
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down: draining calls in flight")
	drain, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := h.Shutdown(drain); err != nil {
		logger.Warn("drain incomplete", slog.String("error", err.Error()))
	}
	if err := srv.Shutdown(drain); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// addHostedFlags declares the hosted-mode flags.
func addHostedFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.String("listen", "", "address to listen on (default 127.0.0.1:8080)")
	f.String("base-url", "", "public URL clients reach this server at (default http://LISTEN)")
	f.StringSlice("allowed-origins", nil, "browser origins allowed to call the endpoint (CORS); * for any")
}
