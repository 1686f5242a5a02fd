package observe

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// The metric types, as TYPE lines name them.
const (
	kindCounter   = "counter"
	kindGauge     = "gauge"
	kindHistogram = "histogram"
	kindSummary   = "summary"
)

// registry is one Metrics' families by name, each with its type, help
// and the writer of its sample lines.
type registry struct {
	bounds []float64 // the histograms' upper bounds
	les    []string  // and as le label values
	mu     sync.Mutex
	fams   map[string]*registered
}

type registered struct {
	kind, help string
	samples    func(b []byte, name string) []byte // appends the family's sample lines
	funcs      *funcGauges                        // the gauge funcs, when it is such a family
}

func newRegistry() *registry {
	r := &registry{bounds: seconds(), fams: map[string]*registered{}}
	for _, b := range r.bounds {
		r.les = append(r.les, strconv.FormatFloat(b, 'g', -1, 64))
	}
	return r
}

// register adds the family name; registering a name twice is a
// programming error and panics.
func (r *registry) register(name string, f *registered) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.fams[name]; ok {
		panic("observe: metric family " + name + " registered twice")
	}
	r.fams[name] = f
}

// scalars registers a family with one sample per series (counters and
// gauges), value writing a series' number.
func scalars[K labelValues, M any](r *registry, kind, name, help string, labels []string, create func() M, value func([]byte, M) []byte) *family[K, M] {
	f := newFamily[K](name, labels, create)
	r.register(name, &registered{kind: kind, help: help, samples: func(b []byte, name string) []byte {
		for _, s := range f.sorted() {
			b = append(value(appendSeries(b, name, s.pairs), s.m), '\n')
		}
		return b
	}})
	return f
}

func counters[K labelValues](r *registry, name, help string, labels ...string) *family[K, *counter] {
	return scalars[K](r, kindCounter, name, help, labels, func() *counter { return &counter{} },
		func(b []byte, c *counter) []byte { return strconv.AppendUint(b, c.n.Load(), 10) })
}

func gauges[K labelValues](r *registry, name, help string, labels ...string) *family[K, *gauge] {
	return scalars[K](r, kindGauge, name, help, labels, func() *gauge { return &gauge{} },
		func(b []byte, g *gauge) []byte { return strconv.AppendInt(b, g.n.Load(), 10) })
}

func histograms[K labelValues](r *registry, name, help string, labels ...string) *family[K, *histogram] {
	f := newFamily[K](name, labels, func() *histogram { return newHistogram(r.bounds, r.les) })
	r.register(name, &registered{kind: kindHistogram, help: help, samples: func(b []byte, name string) []byte {
		for _, s := range f.sorted() {
			b = s.m.appendTo(b, name, s.pairs)
		}
		return b
	}})
	return f
}

func (r *registry) histogram(name, help string) *Histogram {
	h := newHistogram(r.bounds, r.les)
	r.register(name, &registered{kind: kindHistogram, help: help, samples: func(b []byte, name string) []byte {
		return h.appendTo(b, name, "")
	}})
	return &Histogram{h}
}

// funcGauges are a gauge family whose values are read at each scrape.
type funcGauges struct {
	mu     sync.Mutex
	series []funcGauge
}

type funcGauge struct {
	pairs string
	value func() float64
}

// add adds the series labelled pairs (label="value",..., or empty),
// worth value() at each scrape.
func (g *funcGauges) add(pairs string, value func() float64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.series = append(g.series, funcGauge{pairs, value})
}

// funcs is the gauge func family name, registered on first use; asking
// for it again with the same help is harmless (one gauge per degraded
// reason), otherwise a programming error.
func (r *registry) funcs(name, help string) *funcGauges {
	r.mu.Lock()
	defer r.mu.Unlock()
	if f, ok := r.fams[name]; ok {
		if f.funcs == nil || f.help != help {
			panic("observe: metric family " + name + " described twice")
		}
		return f.funcs
	}
	g := &funcGauges{}
	r.fams[name] = &registered{kind: kindGauge, help: help, funcs: g, samples: func(b []byte, name string) []byte {
		g.mu.Lock()
		series := slices.Clone(g.series)
		g.mu.Unlock()
		slices.SortFunc(series, func(a, b funcGauge) int { return strings.Compare(a.pairs, b.pairs) })
		for _, s := range series {
			b = appendNumber(appendSeries(b, name, s.pairs), s.value())
		}
		return b
	}}
	return g
}

// appendTo appends every family with series, sorted by name, each
// preceded by its HELP and TYPE lines; a family without series writes
// nothing.
func (r *registry) appendTo(b []byte) []byte {
	r.mu.Lock()
	names := slices.Sorted(maps.Keys(r.fams))
	fams := make([]*registered, len(names))
	for i, name := range names {
		fams[i] = r.fams[name]
	}
	r.mu.Unlock()
	var samples []byte
	for i, f := range fams {
		if samples = f.samples(samples[:0], names[i]); len(samples) > 0 {
			b = appendHeader(b, names[i], f.kind, f.help)
			b = append(b, samples...)
		}
	}
	return b
}

// appendHeader appends a family's HELP and TYPE lines.
func appendHeader(b []byte, name, kind, help string) []byte {
	b = append(b, "# HELP "...)
	b = append(b, name...)
	b = append(b, ' ')
	b = append(b, escapeHelp(help)...)
	b = append(b, "\n# TYPE "...)
	b = append(b, name...)
	b = append(b, ' ')
	b = append(b, kind...)
	return append(b, '\n')
}

// escapeHelp escapes a HELP text's backslashes and line feeds.
func escapeHelp(s string) string {
	if !strings.ContainsAny(s, "\\\n") {
		return s
	}
	var b strings.Builder
	for _, c := range []byte(s) {
		switch c {
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
