package observe

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// MetricsPath is where the metrics listener serves the scrape.
const MetricsPath = "/metrics"

// ReadinessPath is where the metrics listener serves the detailed
// readiness (every connection and organization served), which the public
// /readyz keeps to itself.
const ReadinessPath = "/readyz"

// MetricsHandler serves g's series in the Prometheus exposition format on
// MetricsPath, readiness (when not nil) on ReadinessPath, and 404
// elsewhere.
func MetricsHandler(g prometheus.Gatherer, readiness http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET "+MetricsPath, promhttp.HandlerFor(g, promhttp.HandlerOpts{}))
	if readiness != nil {
		mux.Handle("GET "+ReadinessPath, readiness)
	}
	return mux
}

// ServeMetrics serves MetricsHandler(g, readiness) on ln, a listener of
// its own (POLAR_MCP_METRICS_LISTEN), never the public one, until ctx
// ends; it closes ln.
func ServeMetrics(ctx context.Context, ln net.Listener, g prometheus.Gatherer, readiness http.Handler, log *slog.Logger) error {
	srv := &http.Server{Handler: MetricsHandler(g, readiness), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
	log.Info("serving metrics", slog.String("addr", ln.Addr().String()), slog.String("path", MetricsPath))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	stop, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(stop); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
