package observe_test

import (
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
