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
	runtimemetrics "runtime/metrics"
	"strconv"
	"strings"
	"time"

	"github.com/VictoriaMetrics/metrics"
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
// (version 0.0.4): polar-mcp's families, each with its HELP and TYPE
// lines, then the Go runtime and process series (go_*, process_*),
// which carry none.
func (m *Metrics) WritePrometheus(w io.Writer) {
	var b bytes.Buffer
	m.reg.set.WritePrometheus(&b)
	m.reg.annotate(w, b.Bytes())
	metrics.WriteGoMetrics(w)
	writeRuntimeGauges(w)
	metrics.WriteProcMetrics(w)
	metrics.WriteFDMetrics(w)
}

// writeRuntimeGauges writes the Go runtime series the Prometheus
// client's Go collector wrote and the metrics library names otherwise
// (go_gomaxprocs, go_memlimit_bytes) or lacks (GOGC).
func writeRuntimeGauges(w io.Writer) {
	names := [...][2]string{{"/gc/gogc:percent", "go_gc_gogc_percent"},
		{"/gc/gomemlimit:bytes", "go_gc_gomemlimit_bytes"}, {"/sched/gomaxprocs:threads", "go_sched_gomaxprocs_threads"}}
	var samples [len(names)]runtimemetrics.Sample
	for i, n := range names {
		samples[i].Name = n[0]
	}
	runtimemetrics.Read(samples[:])
	for i, n := range names {
		if samples[i].Value.Kind() == runtimemetrics.KindUint64 {
			metrics.WriteGaugeUint64(w, n[1], samples[i].Value.Uint64())
		}
	}
}

// annotate copies the set's sample lines to w, each family preceded by
// its HELP and TYPE lines (the set writes a family's samples together).
func (r *registry) annotate(w io.Writer, samples []byte) {
	var last string
	for line := range bytes.Lines(samples) {
		name := line
		if i := bytes.IndexAny(line, "{ "); i >= 0 {
			name = line[:i]
		}
		if fam, meta, ok := r.lookup(string(name)); ok && fam != last {
			last = fam
			io.WriteString(w, "# HELP "+fam+" "+escapeHelp(meta.help)+"\n# TYPE "+fam+" "+meta.kind+"\n")
		}
		w.Write(line)
	}
}

// escapeHelp escapes a HELP text's backslashes and line feeds.
func escapeHelp(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\n", `\n`).Replace(s)
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
