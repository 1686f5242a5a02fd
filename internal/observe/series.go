package observe

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
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

// family is one metric family's series, each made on first use and
// kept with its label pairs as the scrape writes them.
type family[K labelValues, M any] struct {
	labels []string // in declaration order
	create func() M
	mu     sync.RWMutex
	series map[K]labelled[M]
}

// labelled is one series and its label pairs (name="value",..., sorted
// by label name, escaped).
type labelled[M any] struct {
	pairs string
	m     M
}

// newFamily is a family with labels (as many as K holds values; another
// count is a programming error and panics), its series made by create.
func newFamily[K labelValues, M any](name string, labels []string, create func() M) *family[K, M] {
	var k K
	if len(k.values()) != len(labels) {
		panic(fmt.Sprintf("observe: metric family %s has %d labels, its values %d", name, len(labels), len(k.values())))
	}
	return &family[K, M]{labels: labels, create: create, series: map[K]labelled[M]{}}
}

// with returns the series of the label values k.
func (f *family[K, M]) with(k K) M {
	f.mu.RLock()
	s, ok := f.series[k]
	f.mu.RUnlock()
	if ok {
		return s.m
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if s, ok := f.series[k]; ok {
		return s.m
	}
	s = labelled[M]{pairs: labelPairs(f.labels, k.values()), m: f.create()}
	f.series[k] = s
	return s.m
}

// sorted is the family's series sorted by their label pairs, the order
// of the scrape.
func (f *family[K, M]) sorted() []labelled[M] {
	f.mu.RLock()
	out := slices.Collect(maps.Values(f.series))
	f.mu.RUnlock()
	slices.SortFunc(out, func(a, b labelled[M]) int { return strings.Compare(a.pairs, b.pairs) })
	return out
}

// labelPairs is label="value",... with the labels sorted by name and
// every value escaped for the text exposition format (backslash, double
// quote and line feed; invalid UTF-8 becomes U+FFFD).
func labelPairs(labels, values []string) string {
	order := make([]int, len(labels))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(labels[a], labels[b]) })
	var b strings.Builder
	for i, j := range order {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(labels[j])
		b.WriteString(`="`)
		writeLabelValue(&b, values[j])
		b.WriteByte('"')
	}
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
	f *family[values1, *counter]
}

// Inc adds one to the series labelled a.
func (c *Counter1) Inc(a string) { c.f.with(values1{a}).inc() }

// Counter2 is a counter family with two labels.
type Counter2 struct {
	f *family[values2, *counter]
}

// Inc adds one to the series labelled a, b.
func (c *Counter2) Inc(a, b string) { c.f.with(values2{a, b}).inc() }

// Counter3 is a counter family with three labels.
type Counter3 struct {
	f *family[values3, *counter]
}

// Inc adds one to the series labelled a, b, c.
func (k *Counter3) Inc(a, b, c string) { k.f.with(values3{a, b, c}).inc() }

// Gauge1 is a gauge family with one label.
type Gauge1 struct {
	f *family[values1, *gauge]
}

// Inc adds one to the series labelled a.
func (g *Gauge1) Inc(a string) { g.f.with(values1{a}).add(1) }

// Dec takes one from the series labelled a.
func (g *Gauge1) Dec(a string) { g.f.with(values1{a}).add(-1) }

// Histogram1 is a histogram family with one label.
type Histogram1 struct {
	f *family[values1, *histogram]
}

// Observe adds v to the series labelled a.
func (h *Histogram1) Observe(v float64, a string) { h.f.with(values1{a}).observe(v) }

// Histogram is a histogram without labels.
type Histogram struct {
	h *histogram
}

// Observe adds v to the histogram.
func (h *Histogram) Observe(v float64) { h.h.observe(v) }
