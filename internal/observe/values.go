package observe

import (
	"math"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
)

// counter is a monotonic count.
type counter struct{ n atomic.Uint64 }

func (c *counter) inc() { c.n.Add(1) }

// gauge is a count that goes up and down.
type gauge struct{ n atomic.Int64 }

func (g *gauge) add(d int64) { g.n.Add(d) }

// histogram counts observations in buckets by upper bound (le: v ≤
// bound), the last one unbounded (+Inf), and sums them, under a mutex so
// that a scrape sees buckets, count and sum of the same observations
// (uncontended as fast as atomics; contended, faster than a
// compare-and-swap loop on the sum in BenchmarkToolCallSeriesParallel).
type histogram struct {
	bounds []float64 // ascending
	les    []string  // the bounds as le label values
	mu     sync.Mutex
	counts []uint64 // len(bounds)+1, not cumulative
	sum    float64
}

func newHistogram(bounds []float64, les []string) *histogram {
	return &histogram{bounds: bounds, les: les, counts: make([]uint64, len(bounds)+1)}
}

func (h *histogram) observe(v float64) {
	i := 0
	for i < len(h.bounds) && !(v <= h.bounds[i]) {
		i++
	}
	h.mu.Lock()
	h.counts[i]++
	h.sum += v
	h.mu.Unlock()
}

// appendTo appends the histogram's lines (name_bucket cumulative, with
// le last among the labels, then name_sum and name_count) labelled with
// pairs (label="value",..., or empty).
func (h *histogram) appendTo(b []byte, name, pairs string) []byte {
	h.mu.Lock()
	counts, sum := slices.Clone(h.counts), h.sum
	h.mu.Unlock()
	var total uint64
	for i, c := range counts {
		total += c
		le := "+Inf"
		if i < len(h.les) {
			le = h.les[i]
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
	b = appendNumber(appendSeries(append(b, name...), "_sum", pairs), sum)
	b = strconv.AppendUint(appendSeries(append(b, name...), "_count", pairs), total, 10)
	return append(b, '\n')
}

// appendSeries appends a sample line's name{pairs} and the space before
// its value (b may end with the start of the name already).
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
