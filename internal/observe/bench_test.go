package observe_test

import (
	"io"
	"strconv"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/observe"
)

// BenchmarkToolCallSeries is what every tool call adds to the metrics:
// one labelled counter increment and one histogram observation.
func BenchmarkToolCallSeries(b *testing.B) {
	m := observe.NewMetrics()
	for b.Loop() {
		m.ToolCalls.Inc("get_subscription_status", "agent", "ok")
		m.ToolDuration.Observe(0.042, "get_subscription_status")
	}
}

// BenchmarkCounterInc is one labelled counter increment (the series
// exists already).
func BenchmarkCounterInc(b *testing.B) {
	m := observe.NewMetrics()
	for b.Loop() {
		m.ToolCalls.Inc("get_subscription_status", "agent", "ok")
	}
}

// BenchmarkHistogramObserve is one labelled histogram observation.
func BenchmarkHistogramObserve(b *testing.B) {
	m := observe.NewMetrics()
	for b.Loop() {
		m.ToolDuration.Observe(0.042, "get_subscription_status")
	}
}

// BenchmarkToolCallSeriesParallel is BenchmarkToolCallSeries from every
// processor at once on the same series.
func BenchmarkToolCallSeriesParallel(b *testing.B) {
	m := observe.NewMetrics()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m.ToolCalls.Inc("get_subscription_status", "agent", "ok")
			m.ToolDuration.Observe(0.042, "get_subscription_status")
		}
	})
}

// BenchmarkScrape is one scrape: 20 tools' series, the Go runtime's and
// the process'.
func BenchmarkScrape(b *testing.B) {
	m := observe.NewMetrics()
	for i := range 20 {
		tool := "tool_" + strconv.Itoa(i)
		m.ToolCalls.Inc(tool, "agent", "ok")
		m.ToolDuration.Observe(0.042, tool)
	}
	for b.Loop() {
		m.WritePrometheus(io.Discard)
	}
}
