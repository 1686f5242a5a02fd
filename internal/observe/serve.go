package observe

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MetricsPath is where the metrics listener serves the scrape.
const MetricsPath = "/metrics"

// ReadinessPath is where the metrics listener serves the detailed
// readiness (every connection and organization served), which the public
// /readyz keeps to itself.
const ReadinessPath = "/readyz"

// exposition is the content type of the text exposition format.
const exposition = "text/plain; version=0.0.4; charset=utf-8"

// WritePrometheus writes every series in the text exposition format
// (version 0.0.4): polar-mcp's families, then the Go runtime's (go_*)
// and, on Linux, the process' (process_*), each family with its HELP and
// TYPE lines: the series Prometheus' Go and process collectors wrote.
func (m *Metrics) WritePrometheus(w io.Writer) {
	b := m.reg.appendTo(make([]byte, 0, 32<<10))
	b = appendGoSeries(b)
	b = appendProcessSeries(b)
	w.Write(b)
}

// MetricsHandler serves m's series in the Prometheus text exposition
// format on MetricsPath (gzipped when the scraper accepts it),
// readiness (when not nil) on ReadinessPath, and 404 elsewhere.
func MetricsHandler(m *Metrics, readiness http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+MetricsPath, func(w http.ResponseWriter, r *http.Request) {
		var b bytes.Buffer
		m.WritePrometheus(&b)
		w.Header().Set("Content-Type", exposition)
		w.Header().Add("Vary", "Accept-Encoding")
		if !acceptsGzip(r.Header.Get("Accept-Encoding")) {
			w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
			w.Write(b.Bytes())
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		gz := gzip.NewWriter(w)
		gz.Write(b.Bytes())
		gz.Close()
	})
	if readiness != nil {
		mux.Handle("GET "+ReadinessPath, readiness)
	}
	return mux
}

// acceptsGzip reports whether an Accept-Encoding header lists gzip
// (without q=0).
func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		if q, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q="); ok {
			v, err := strconv.ParseFloat(q, 64)
			return err == nil && v > 0
		}
		return true
	}
	return false
}

// ServeMetrics serves MetricsHandler(m, readiness) on ln, a listener of
// its own (POLAR_MCP_METRICS_LISTEN), never the public one, until ctx
// ends; it closes ln.
func ServeMetrics(ctx context.Context, ln net.Listener, m *Metrics, readiness http.Handler, log *slog.Logger) error {
	srv := &http.Server{Handler: MetricsHandler(m, readiness), ReadHeaderTimeout: 10 * time.Second,
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
