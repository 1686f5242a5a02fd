package polarmcp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/observe"
)

// Telemetry is one server's observability: its metrics registry, its
// observer and its tracer provider (see package observe).
type Telemetry struct {
	// Registry holds every series; ServeMetrics serves it.
	Registry *prometheus.Registry
	// Observer observes the adapters, the tools and the transports.
	Observer *observe.Observer
	shutdown func(context.Context) error
}

// NewTelemetry builds the telemetry of a server: a fresh registry with
// polar-mcp's series, and traces when the OTEL_* variables getenv returns
// ask for them (os.Getenv when nil).
func NewTelemetry(ctx context.Context, log *slog.Logger, getenv func(string) string) (*Telemetry, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	tp, shutdown, err := observe.NewTracerProvider(ctx, getenv)
	if err != nil {
		return nil, errors.Join(config.ErrInvalid, err)
	}
	if observe.TracesEnabled(getenv) {
		log.Info("exporting traces over OTLP")
	}
	reg := prometheus.NewRegistry()
	m := observe.NewMetrics(reg)
	return &Telemetry{Registry: reg, Observer: observe.New(observe.Config{Metrics: m, Tracer: tp, Logger: log}),
		shutdown: shutdown}, nil
}

// ListenMetrics opens the metrics listener cfg.MetricsListen names and
// serves the registry on it in the background until ctx ends; ready,
// when not nil, receives its address. It does nothing when no metrics
// listener is configured. stop waits for the listener to close.
func (t *Telemetry) ListenMetrics(ctx context.Context, cfg config.Config, log *slog.Logger, ready chan<- string) (stop func(), err error) {
	if cfg.MetricsListen == "" {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", cfg.MetricsListen)
	if err != nil {
		return nil, fmt.Errorf("POLAR_MCP_METRICS_LISTEN: %w", err)
	}
	if ready != nil {
		ready <- ln.Addr().String()
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := observe.ServeMetrics(ctx, ln, t.Registry, log); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics listener failed", slog.String("error", err.Error()))
		}
	}()
	return func() { <-done }, nil
}

// Shutdown flushes the spans still buffered.
func (t *Telemetry) Shutdown(ctx context.Context) error { return t.shutdown(ctx) }

// storeError counts a connection store failure (not an unknown or
// disabled connection, which is the caller's problem).
func (t *Telemetry) storeError(operation string, err error) {
	var ae *identity.Error
	if t == nil || err == nil || errors.As(err, &ae) {
		return
	}
	t.Observer.Metrics().StoreErrors.WithLabelValues(operation).Inc()
}

// webhookOutcome counts a webhook delivery by how it was answered
// (polarmcp_webhook_deliveries_total{outcome}).
func (t *Telemetry) webhookOutcome(outcome string) {
	if t != nil {
		t.Observer.Metrics().Webhooks.WithLabelValues(outcome).Inc()
	}
}
