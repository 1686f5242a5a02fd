package observe

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/VictoriaMetrics/metrics"
)

// labelValues are the label values of one series, in the order its
// family declares their names. The arity is part of the type, so a call
// with the wrong number of labels does not compile.
type labelValues interface {
	comparable
	values() []string
}

type (
	values1 [1]string
	values2 [2]string
	values3 [3]string
)

func (v values1) values() []string { return v[:] }
func (v values2) values() []string { return v[:] }
func (v values3) values() []string { return v[:] }

// family is one metric family's series, each registered in the set on
// first use under its name and labels (sorted by label name, as the
// Prometheus client wrote them).
type family[K labelValues, M any] struct {
	name   string
	labels []string // in declaration order
	create func(series string) M
	mu     sync.RWMutex
	series map[K]M
}

// newFamily is the family name with labels (as many as K holds values;
// another count is a programming error and panics), its series made by
// create.
func newFamily[K labelValues, M any](name string, labels []string, create func(string) M) *family[K, M] {
	var k K
	if len(k.values()) != len(labels) {
		panic(fmt.Sprintf("observe: metric family %s has %d labels, its values %d", name, len(labels), len(k.values())))
	}
	return &family[K, M]{name: name, labels: labels, create: create, series: map[K]M{}}
}

// with returns the series of the label values k.
func (f *family[K, M]) with(k K) M {
	f.mu.RLock()
	m, ok := f.series[k]
	f.mu.RUnlock()
	if ok {
		return m
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if m, ok := f.series[k]; ok {
		return m
	}
	m = f.create(seriesName(f.name, f.labels, k.values()))
	f.series[k] = m
	return m
}

// seriesName is name{label="value",...} with the labels sorted by name
// and every value escaped for the text exposition format (backslash,
// double quote and line feed; invalid UTF-8 becomes U+FFFD).
func seriesName(name string, labels, values []string) string {
	if len(labels) == 0 {
		return name
	}
	order := make([]int, len(labels))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(labels[a], labels[b]) })
	var b strings.Builder
	b.WriteString(name)
	b.WriteByte('{')
	for i, j := range order {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(labels[j])
		b.WriteString(`="`)
		writeLabelValue(&b, values[j])
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

func writeLabelValue(b *strings.Builder, v string) {
	if !utf8.ValidString(v) {
		v = strings.ToValidUTF8(v, "\uFFFD")
	}
	for _, c := range []byte(v) {
		switch c {
		case '\\':
			b.WriteString(`\\`)
		case '"':
			b.WriteString(`\"`)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteByte(c)
		}
	}
}

// Counter1 is a counter family with one label.
type Counter1 struct {
	f *family[values1, *metrics.Counter]
}

// Inc adds one to the series labelled a.
func (c *Counter1) Inc(a string) { c.f.with(values1{a}).Inc() }

// Counter2 is a counter family with two labels.
type Counter2 struct {
	f *family[values2, *metrics.Counter]
}

// Inc adds one to the series labelled a, b.
func (c *Counter2) Inc(a, b string) { c.f.with(values2{a, b}).Inc() }

// Counter3 is a counter family with three labels.
type Counter3 struct {
	f *family[values3, *metrics.Counter]
}

// Inc adds one to the series labelled a, b, c.
func (k *Counter3) Inc(a, b, c string) { k.f.with(values3{a, b, c}).Inc() }

// Gauge1 is a gauge family with one label.
type Gauge1 struct {
	f *family[values1, *metrics.Gauge]
}

// Inc adds one to the series labelled a.
func (g *Gauge1) Inc(a string) { g.f.with(values1{a}).Inc() }

// Dec takes one from the series labelled a.
func (g *Gauge1) Dec(a string) { g.f.with(values1{a}).Dec() }

// Histogram1 is a histogram family with one label.
type Histogram1 struct {
	f *family[values1, *metrics.PrometheusHistogram]
}

// Observe adds v to the series labelled a.
func (h *Histogram1) Observe(v float64, a string) { h.f.with(values1{a}).Update(v) }

// Histogram is a histogram without labels.
type Histogram struct {
	h *metrics.PrometheusHistogram
}

// Observe adds v to the histogram.
func (h *Histogram) Observe(v float64) { h.h.Update(v) }
