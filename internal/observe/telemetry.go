package observe

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/polar-mcp/polar-mcp/config"
)

// Telemetry is one server's observability: its observer (with its own
// metrics) and its tracer provider.
type Telemetry struct {
	// Observer observes the adapters, the tools and the transports; its
	// Metrics are what ListenMetrics serves.
	Observer *Observer
	shutdown func(context.Context) error
}

// NewTelemetry builds the telemetry of a server: a fresh metrics set with
// polar-mcp's series, and traces when the OTEL_* variables getenv returns
// ask for them (os.Getenv when nil).
func NewTelemetry(ctx context.Context, log *slog.Logger, getenv func(string) string) (*Telemetry, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	tp, shutdown, err := NewTracerProvider(ctx, getenv)
	if err != nil {
		return nil, errors.Join(config.ErrInvalid, err)
	}
	if TracesEnabled(getenv) {
		log.Info("exporting traces over OTLP")
	}
	return &Telemetry{Observer: New(Config{Metrics: NewMetrics(), Tracer: tp, Logger: log}),
		shutdown: shutdown}, nil
}

// ListenMetrics opens the metrics listener addr (POLAR_MCP_METRICS_LISTEN) names and
// serves the metrics on it in the background until ctx ends; ready,
// when not nil, receives its address; readiness, when not nil, is served
// at /readyz beside the metrics. It does nothing when no metrics
// listener is configured. stop closes the listener and waits for it.
func (t *Telemetry) ListenMetrics(ctx context.Context, addr string, log *slog.Logger, ready chan<- string, readiness http.Handler) (stop func(), err error) {
	if addr == "" {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("POLAR_MCP_METRICS_LISTEN: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	if ready != nil {
		ready <- ln.Addr().String()
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := ServeMetrics(ctx, ln, t.Observer.Metrics(), readiness, log); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics listener failed", slog.String("error", err.Error()))
		}
	}()
	return func() { cancel(); <-done }, nil
}

// Shutdown flushes the spans still buffered.
func (t *Telemetry) Shutdown(ctx context.Context) error { return t.shutdown(ctx) }

// Flush is Shutdown within 5 s, logging spans it could not send.
func (t *Telemetry) Flush(log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := t.Shutdown(ctx); err != nil {
		log.Warn("traces not flushed", slog.String("error", err.Error()))
	}
}
