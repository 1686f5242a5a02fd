package observe

import (
	"compress/gzip"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/polar-mcp/polar-mcp/internal/buildinfo"
)

// hostile is a label value with every character the exposition format
// escapes (backslash, double quote, line feed), braces, a comma, an
// equals sign and a byte that is not UTF-8.
const hostile = "conn \"x\"\\y\nz},{a=\"b\xff"

// scrape GETs MetricsPath from h, gzipped or not, and returns the body
// and its content type.
func scrape(t *testing.T, h http.Handler, gzipped bool) (string, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, MetricsPath, nil)
	if gzipped {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s = %d", MetricsPath, rec.Code)
	}
	body := io.Reader(rec.Body)
	if gzipped {
		if rec.Header().Get("Content-Encoding") != "gzip" {
			t.Fatal("a scraper that accepts gzip got the scrape uncompressed")
		}
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		body = zr
	} else if rec.Header().Get("Content-Encoding") != "" {
		t.Fatalf("a scraper that does not accept gzip got Content-Encoding %q", rec.Header().Get("Content-Encoding"))
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b), rec.Header().Get("Content-Type")
}

// TestScrapeIsValidExposition: the whole scrape (every polar-mcp family
// in use, a label value and a build version with every character the
// format escapes, the Go runtime and process series) parses with
// Prometheus' own text parser, each family with its type and help, the
// hostile values read back intact, the labels sorted by name, the
// histograms with their buckets, and the watched gauges read at scrape
// time.
func TestScrapeIsValidExposition(t *testing.T) {
	m := newMetrics(buildinfo.Info{Version: hostile, Commit: "abc123"})
	m.ToolCalls.Inc("get_subscription_status", "agent", "ok")
	m.ToolDuration.Observe(0.042, "get_subscription_status")
	m.PolarRequests.Inc("customers:list", "200")
	m.PolarDuration.Observe(3, "customers:list")
	m.PolarThrottled.Inc(hostile)
	m.LimiterWaits.Inc("customers:list")
	m.LimiterRefusals.Inc("customers:list")
	m.LimiterWait.Observe(0.2)
	m.Cache.Inc("customers:list", "hit")
	m.Sessions.Inc("streamable_http")
	m.Sessions.Inc("streamable_http")
	m.Sessions.Dec("streamable_http")
	m.Streams.Inc("sse")
	m.Webhooks.Inc("accepted")
	m.StoreErrors.Inc("get")
	m.AgentLookups.Inc(hostile, "true")
	var degraded, draining atomic.Bool
	m.WatchDegraded("redis_unreachable", degraded.Load)
	m.WatchDraining(draining.Load)
	h := MetricsHandler(m, nil)

	text, ctype := scrape(t, h, false)
	if !strings.HasPrefix(ctype, "text/plain; version=0.0.4") {
		t.Errorf("Content-Type = %q", ctype)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("the scrape is not valid exposition format: %v\n%s", err, text)
	}
	want := map[string]dto.MetricType{
		"polarmcp_tool_calls_total":               dto.MetricType_COUNTER,
		"polarmcp_tool_call_duration_seconds":     dto.MetricType_HISTOGRAM,
		"polarmcp_polar_requests_total":           dto.MetricType_COUNTER,
		"polarmcp_polar_request_duration_seconds": dto.MetricType_HISTOGRAM,
		"polarmcp_polar_throttled_total":          dto.MetricType_COUNTER,
		"polarmcp_limiter_waits_total":            dto.MetricType_COUNTER,
		"polarmcp_limiter_refusals_total":         dto.MetricType_COUNTER,
		"polarmcp_limiter_wait_seconds":           dto.MetricType_HISTOGRAM,
		"polarmcp_cache_lookups_total":            dto.MetricType_COUNTER,
		"polarmcp_sessions_open":                  dto.MetricType_GAUGE,
		"polarmcp_streams_open":                   dto.MetricType_GAUGE,
		"polarmcp_webhook_deliveries_total":       dto.MetricType_COUNTER,
		"polarmcp_connection_store_errors_total":  dto.MetricType_COUNTER,
		"polarmcp_agent_lookups_total":            dto.MetricType_COUNTER,
		"polarmcp_build_info":                     dto.MetricType_GAUGE,
		"polarmcp_degraded":                       dto.MetricType_GAUGE,
		"polarmcp_draining":                       dto.MetricType_GAUGE,
	}
	for name, typ := range want {
		f, ok := fams[name]
		switch {
		case !ok:
			t.Errorf("the scrape lacks %s", name)
		case f.GetType() != typ:
			t.Errorf("%s is a %v, want a %v", name, f.GetType(), typ)
		case f.GetHelp() == "":
			t.Errorf("%s has no help", name)
		}
	}
	for _, name := range []string{"go_goroutines", "go_gc_duration_seconds", "go_memstats_alloc_bytes", "go_info",
		"go_gc_gogc_percent", "go_gc_gomemlimit_bytes", "go_sched_gomaxprocs_threads", "go_threads",
		"process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes",
		"process_start_time_seconds", "process_open_fds", "process_max_fds"} {
		if _, ok := fams[name]; !ok {
			t.Errorf("the scrape lacks %s", name)
		}
	}

	intact := strings.ToValidUTF8(hostile, "\uFFFD")
	labels := func(name string) []map[string]string {
		var out []map[string]string
		for _, mt := range fams[name].GetMetric() {
			l := map[string]string{}
			for _, lp := range mt.GetLabel() {
				l[lp.GetName()] = lp.GetValue()
			}
			out = append(out, l)
		}
		return out
	}
	if got := labels("polarmcp_polar_throttled_total"); len(got) != 1 || got[0]["connection"] != intact {
		t.Errorf("throttled series labels = %q, want connection %q", got, intact)
	}
	if got := labels("polarmcp_agent_lookups_total"); len(got) != 1 || got[0]["connection"] != intact || got[0]["found"] != "true" {
		t.Errorf("agent lookup series labels = %q", got)
	}
	if got := labels("polarmcp_build_info"); len(got) != 1 || got[0]["version"] != intact || got[0]["commit"] != "abc123" {
		t.Errorf("build info labels = %q", got)
	}
	if v := fams["polarmcp_sessions_open"].GetMetric()[0].GetGauge().GetValue(); v != 1 {
		t.Errorf("sessions open = %v after two opened and one closed, want 1", v)
	}

	for _, line := range []string{
		`polarmcp_tool_calls_total{outcome="ok",role="agent",tool="get_subscription_status"} 1`,
		`polarmcp_agent_lookups_total{connection="conn \"x\"\\y\nz},{a=\"b` + "\uFFFD" + `",found="true"} 1`,
		`polarmcp_build_info{commit="abc123",version="conn \"x\"\\y\nz},{a=\"b` + "\uFFFD" + `"} 1`,
		`polarmcp_polar_request_duration_seconds_bucket{operation="customers:list",le="2.5"} 0`,
		`polarmcp_polar_request_duration_seconds_bucket{operation="customers:list",le="5"} 1`,
		`polarmcp_limiter_wait_seconds_count 1`,
		`polarmcp_degraded{reason="redis_unreachable"} 0`,
		`polarmcp_draining 0`,
	} {
		if !strings.Contains(text, line+"\n") {
			t.Errorf("the scrape lacks the line %s", line)
		}
	}
	hist := fams["polarmcp_tool_call_duration_seconds"].GetMetric()[0].GetHistogram()
	var bounds []float64
	for _, b := range hist.GetBucket() {
		bounds = append(bounds, b.GetUpperBound())
	}
	if !slices.Equal(bounds, append(seconds(), math.Inf(1))) || hist.GetSampleCount() != 1 || hist.GetSampleSum() != 0.042 {
		t.Errorf("tool call histogram: buckets %v, count %d, sum %v", bounds, hist.GetSampleCount(), hist.GetSampleSum())
	}

	degraded.Store(true)
	draining.Store(true)
	zipped, _ := scrape(t, h, true)
	for _, line := range []string{`polarmcp_degraded{reason="redis_unreachable"} 1`, "polarmcp_draining 1"} {
		if !strings.Contains(zipped, line+"\n") {
			t.Errorf("the gzipped scrape after the change lacks %s", line)
		}
	}
	if _, err := p.TextToMetricFamilies(strings.NewReader(zipped)); err != nil {
		t.Errorf("the gzipped scrape is not valid exposition format: %v", err)
	}
}

// TestEmptyFamiliesAreLeftOut: a labelled family nobody counted yet
// writes nothing, not even its HELP and TYPE (as the Prometheus client
// did), and a fresh set holds no series of another Metrics.
func TestEmptyFamiliesAreLeftOut(t *testing.T) {
	a, b := NewMetrics(), NewMetrics()
	a.ToolCalls.Inc("get_products", "customer", "ok")
	text, _ := scrape(t, MetricsHandler(b, nil), false)
	for _, absent := range []string{"polarmcp_tool_calls_total", "polarmcp_sessions_open", "polarmcp_webhook_deliveries_total"} {
		if strings.Contains(text, absent) {
			t.Errorf("a fresh Metrics' scrape mentions %s:\n%s", absent, text)
		}
	}
	if !strings.Contains(text, "polarmcp_limiter_wait_seconds_count 0\n") || !strings.Contains(text, "polarmcp_build_info{") {
		t.Error("a fresh Metrics' scrape lacks its unlabelled series")
	}
}

// TestLabelCountIsChecked: a family whose label names do not match its
// values' arity is refused when it is made, never at a call.
func TestLabelCountIsChecked(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a family of two label values with one label name was made")
		}
	}()
	counters[values2](newRegistry(), "x_total", "x", "one")
}

// TestSeriesAreCountedConcurrently: calls from many goroutines, making
// the same and different series at once, are all counted, each series
// once in the scrape.
func TestSeriesAreCountedConcurrently(t *testing.T) {
	m := NewMetrics()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for range 500 {
				m.ToolCalls.Inc("get_products", "customer", "ok")
				m.Sessions.Inc("stdio")
				m.ToolDuration.Observe(0.001, "tool_"+strconv.Itoa(g%2))
			}
		})
	}
	wg.Wait()
	text, _ := scrape(t, MetricsHandler(m, nil), false)
	for _, line := range []string{
		`polarmcp_tool_calls_total{outcome="ok",role="customer",tool="get_products"} 4000`,
		`polarmcp_sessions_open{transport="stdio"} 4000`,
		`polarmcp_tool_call_duration_seconds_count{tool="tool_0"} 2000`,
		`polarmcp_tool_call_duration_seconds_count{tool="tool_1"} 2000`,
	} {
		if strings.Count(text, line+"\n") != 1 {
			t.Errorf("the scrape does not hold %s once", line)
		}
	}
}
