package observe

import (
	"math"
	"runtime"
	runtimemetrics "runtime/metrics"
	"slices"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// parseScrape scrapes a fresh Metrics and parses it with Prometheus' own
// text parser; it also returns the families' names in scrape order.
func parseScrape(t *testing.T) (map[string]*dto.MetricFamily, []string) {
	t.Helper()
	text, _ := scrape(t, MetricsHandler(NewMetrics(), nil), false)
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("the scrape is not valid exposition format: %v\n%s", err, text)
	}
	var order []string
	for line := range strings.Lines(text) {
		if rest, ok := strings.CutPrefix(line, "# TYPE "); ok {
			order = append(order, strings.Fields(rest)[0])
		}
	}
	return fams, order
}

// value is the single sample of an unlabelled gauge or counter family.
func value(t *testing.T, fams map[string]*dto.MetricFamily, name string) float64 {
	t.Helper()
	f, ok := fams[name]
	if !ok || len(f.GetMetric()) != 1 {
		t.Fatalf("the scrape lacks %s (or holds it more than once)", name)
	}
	m := f.GetMetric()[0]
	if f.GetType() == dto.MetricType_COUNTER {
		return m.GetCounter().GetValue()
	}
	return m.GetGauge().GetValue()
}

// TestGoSeries: the go_* families are those Prometheus' Go collector
// wrote, with its types and a help each, sorted by name, and their
// values are the runtime's: the settings as runtime/metrics reads them,
// the goroutines, the Go version, the GC pauses after a collection.
func TestGoSeries(t *testing.T) {
	runtime.GC()
	fams, order := parseScrape(t)
	want := map[string]dto.MetricType{"go_gc_duration_seconds": dto.MetricType_SUMMARY, "go_gc_gogc_percent": dto.MetricType_GAUGE,
		"go_gc_gomemlimit_bytes": dto.MetricType_GAUGE, "go_goroutines": dto.MetricType_GAUGE, "go_info": dto.MetricType_GAUGE,
		"go_memstats_last_gc_time_seconds": dto.MetricType_GAUGE, "go_sched_gomaxprocs_threads": dto.MetricType_GAUGE,
		"go_threads": dto.MetricType_GAUGE}
	for _, n := range []string{"alloc_bytes_total", "mallocs_total", "frees_total"} {
		want["go_memstats_"+n] = dto.MetricType_COUNTER
	}
	for _, n := range []string{"alloc_bytes", "sys_bytes", "heap_alloc_bytes", "heap_sys_bytes", "heap_idle_bytes",
		"heap_inuse_bytes", "heap_released_bytes", "heap_objects", "stack_inuse_bytes", "stack_sys_bytes", "next_gc_bytes",
		"gc_sys_bytes", "other_sys_bytes", "mspan_inuse_bytes", "mspan_sys_bytes", "mcache_inuse_bytes",
		"mcache_sys_bytes", "buck_hash_sys_bytes"} {
		want["go_memstats_"+n] = dto.MetricType_GAUGE
	}
	var goOrder []string
	for _, name := range order {
		if strings.HasPrefix(name, "go_") {
			goOrder = append(goOrder, name)
		}
	}
	if len(goOrder) != len(want) || !slices.IsSorted(goOrder) {
		t.Errorf("go_* families %q, want the %d of the Go collector sorted by name", goOrder, len(want))
	}
	for name, typ := range want {
		if f, ok := fams[name]; !ok || f.GetType() != typ || f.GetHelp() == "" {
			t.Errorf("%s: %v with help %q, want a %v with help", name, f.GetType(), f.GetHelp(), typ)
		}
	}

	samples := []runtimemetrics.Sample{{Name: "/gc/gogc:percent"}, {Name: "/gc/gomemlimit:bytes"}, {Name: "/sched/gomaxprocs:threads"}}
	runtimemetrics.Read(samples)
	for i, name := range []string{"go_gc_gogc_percent", "go_gc_gomemlimit_bytes", "go_sched_gomaxprocs_threads"} {
		if got, want := value(t, fams, name), float64(samples[i].Value.Uint64()); got != want {
			t.Errorf("%s = %v, runtime/metrics' %s = %v", name, got, samples[i].Name, want)
		}
	}
	if n := value(t, fams, "go_goroutines"); n < 1 {
		t.Errorf("go_goroutines = %v", n)
	}
	if n := value(t, fams, "go_threads"); n < 1 {
		t.Errorf("go_threads = %v", n)
	}
	info := fams["go_info"].GetMetric()
	if len(info) != 1 || len(info[0].GetLabel()) != 1 || info[0].GetLabel()[0].GetName() != "version" ||
		info[0].GetLabel()[0].GetValue() != runtime.Version() || info[0].GetGauge().GetValue() != 1 {
		t.Errorf("go_info = %v, want {version=%q} 1", info, runtime.Version())
	}
	for _, pair := range [][2]string{{"go_memstats_alloc_bytes_total", "go_memstats_alloc_bytes"},
		{"go_memstats_mallocs_total", "go_memstats_frees_total"}, {"go_memstats_sys_bytes", "go_memstats_heap_sys_bytes"},
		{"go_memstats_heap_sys_bytes", "go_memstats_heap_inuse_bytes"}} {
		if big, small := value(t, fams, pair[0]), value(t, fams, pair[1]); small <= 0 || big < small {
			t.Errorf("%s = %v, %s = %v", pair[0], big, pair[1], small)
		}
	}
	if last := value(t, fams, "go_memstats_last_gc_time_seconds"); time.Since(time.Unix(int64(last), 0)) > time.Minute {
		t.Errorf("go_memstats_last_gc_time_seconds = %v, after a collection just now", last)
	}

	gc := fams["go_gc_duration_seconds"].GetMetric()[0].GetSummary()
	var qs, vs []float64
	for _, q := range gc.GetQuantile() {
		qs, vs = append(qs, q.GetQuantile()), append(vs, q.GetValue())
	}
	if !slices.Equal(qs, []float64{0, 0.25, 0.5, 0.75, 1}) || !slices.IsSorted(vs) || vs[4] <= 0 {
		t.Errorf("go_gc_duration_seconds quantiles %v = %v, want 0, 0.25, 0.5, 0.75, 1 ascending, after a collection", qs, vs)
	}
	if gc.GetSampleCount() < 1 || gc.GetSampleSum() < vs[4] {
		t.Errorf("go_gc_duration_seconds count %d, sum %v (max pause %v)", gc.GetSampleCount(), gc.GetSampleSum(), vs[4])
	}
}

// TestGOGCIsReadAsTheRuntimeReadsIt: GOGC unset or not a number is 100,
// off or negative is what runtime/metrics reported for -1 (2^64-1).
func TestGOGCIsReadAsTheRuntimeReadsIt(t *testing.T) {
	for env, want := range map[string]float64{"": 100, "x": 100, "50": 50, "400": 400, "0": 0, "off": math.MaxUint64, "-5": math.MaxUint64} {
		if got := gogcPercent(env); got != want {
			t.Errorf("GOGC=%q: %v, want %v", env, got, want)
		}
	}
}

// TestHistogramBucketsAreCumulative: each le bucket counts every
// observation up to and including its bound, +Inf and _count all of
// them, _sum their sum.
func TestHistogramBucketsAreCumulative(t *testing.T) {
	r := newRegistry()
	h := r.histogram("x_seconds", "x")
	observed := []float64{0, 0.001, 0.005, 0.0051, 0.3, 0.3, 1, 2.4, 29.9, 30, 31, 1000, -1}
	for _, v := range observed {
		h.Observe(v)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(string(r.appendTo(nil))))
	if err != nil {
		t.Fatal(err)
	}
	hist := fams["x_seconds"].GetMetric()[0].GetHistogram()
	var last uint64
	for i, b := range hist.GetBucket() {
		var want uint64
		for _, v := range observed {
			if v <= b.GetUpperBound() {
				want++
			}
		}
		if b.GetCumulativeCount() != want || b.GetCumulativeCount() < last {
			t.Errorf("bucket le=%v holds %d, want %d", b.GetUpperBound(), b.GetCumulativeCount(), want)
		}
		if i < len(seconds()) && b.GetUpperBound() != seconds()[i] {
			t.Errorf("bucket %d has le=%v, want %v", i, b.GetUpperBound(), seconds()[i])
		}
		last = b.GetCumulativeCount()
	}
	var sum float64
	for _, v := range observed {
		sum += v
	}
	if n := len(hist.GetBucket()); n != len(seconds())+1 || !math.IsInf(hist.GetBucket()[n-1].GetUpperBound(), 1) ||
		hist.GetSampleCount() != uint64(len(observed)) || math.Abs(hist.GetSampleSum()-sum) > 1e-9 {
		t.Errorf("%d buckets, count %d, sum %v; want %d and +Inf, %d, %v", n, hist.GetSampleCount(), hist.GetSampleSum(),
			len(seconds()), len(observed), sum)
	}
}

// TestNumbersAreWrittenAsBefore: whole numbers without an exponent,
// others in Go's shortest %g form, as the VictoriaMetrics set wrote them.
func TestNumbersAreWrittenAsBefore(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 1: "1", -2: "-2", 4000: "4000", 0.042: "0.042", 1.5e-05: "1.5e-05",
		3.0000000000000004: "3.0000000000000004", 1e18: "1000000000000000000", 1e20: "1e+20", 1e21: "1e+21",
		math.MaxUint64: "1.8446744073709552e+19", math.Inf(1): "+Inf", math.NaN(): "NaN"} {
		if got := string(appendNumber(nil, v)); got != want+"\n" {
			t.Errorf("%v is written %q, want %q", v, got, want)
		}
	}
}
