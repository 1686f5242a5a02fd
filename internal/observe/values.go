package observe

import (
	"math"
	"strconv"
	"sync/atomic"
)

// counter is a monotonic count.
type counter struct{ n atomic.Uint64 }

func (c *counter) inc() { c.n.Add(1) }

// gauge is a count that goes up and down.
type gauge struct{ n atomic.Int64 }

func (g *gauge) add(d int64) { g.n.Add(d) }

// histogram counts observations in buckets by upper bound (le: v ≤
// bound), the last one unbounded (+Inf), and sums them. The count is the
// buckets' total, so the scrape's +Inf bucket and _count always agree.
type histogram struct {
	bounds []float64       // ascending
	counts []atomic.Uint64 // len(bounds)+1, not cumulative
	sum    atomic.Uint64   // float64 bits
}

func newHistogram(bounds []float64) *histogram {
	return &histogram{bounds: bounds, counts: make([]atomic.Uint64, len(bounds)+1)}
}

func (h *histogram) observe(v float64) {
	i := 0
	for i < len(h.bounds) && !(v <= h.bounds[i]) {
		i++
	}
	h.counts[i].Add(1)
	for {
		old := h.sum.Load()
		if h.sum.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+v)) {
			return
		}
	}
}

// appendTo appends the histogram's lines (name_bucket cumulative, with
// le last among the labels, then name_sum and name_count) labelled with
// pairs (label="value",..., or empty).
func (h *histogram) appendTo(b []byte, name, pairs string) []byte {
	var total uint64
	for i := range h.counts {
		total += h.counts[i].Load()
		le := "+Inf"
		if i < len(h.bounds) {
			le = strconv.FormatFloat(h.bounds[i], 'g', -1, 64)
		}
		b = append(b, name...)
		b = append(b, "_bucket{"...)
		if pairs != "" {
			b = append(b, pairs...)
			b = append(b, ',')
		}
		b = append(b, `le="`...)
		b = append(b, le...)
		b = append(b, `"} `...)
		b = strconv.AppendUint(b, total, 10)
		b = append(b, '\n')
	}
	b = appendSeries(b, name+"_sum", pairs)
	b = appendNumber(b, math.Float64frombits(h.sum.Load()))
	b = appendSeries(b, name+"_count", pairs)
	b = strconv.AppendUint(b, total, 10)
	return append(b, '\n')
}

// appendSeries appends a sample line's name{pairs} and the space before
// its value.
func appendSeries(b []byte, name, pairs string) []byte {
	b = append(b, name...)
	if pairs != "" {
		b = append(b, '{')
		b = append(b, pairs...)
		b = append(b, '}')
	}
	return append(b, ' ')
}

// appendNumber appends v and a line feed: a whole number as an integer,
// anything else in Go's shortest %g form (NaN, +Inf, 1.5e-05).
func appendNumber(b []byte, v float64) []byte {
	if v == math.Trunc(v) && v >= math.MinInt64 && v < math.MaxInt64 {
		b = strconv.AppendInt(b, int64(v), 10)
	} else {
		b = strconv.AppendFloat(b, v, 'g', -1, 64)
	}
	return append(b, '\n')
}
