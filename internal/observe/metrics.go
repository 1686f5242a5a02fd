// Package observe is polar-mcp's observability: Prometheus metrics, OpenTelemetry
// traces and the structured log line of every tool call (and the audit
// line of every agent lookup). It observes through the hooks the other
// packages offer (polar.Observer, cache.Observer, tools.Observer, tool
// middleware, mcp-go hooks, HTTP middleware) and never reaches into them.
//
// No label or attribute ever holds an email address or a token: tools are
// labelled by name, Polar requests by operation id, callers by role, and a
// merchant connection (bounded by the number of merchants) by its id.
package observe

import (
	"github.com/polar-mcp/polar-mcp/internal/buildinfo"
)

// Metrics are polar-mcp's Prometheus series, held in a registry of their
// own (nothing package-wide); WritePrometheus writes them.
// A family's label values are passed in the order its comment names
// them; the scrape sorts them by label name.
type Metrics struct {
	ToolCalls       *Counter3   // polarmcp_tool_calls_total{tool,role,outcome}
	ToolDuration    *Histogram1 // polarmcp_tool_call_duration_seconds{tool}
	PolarRequests   *Counter2   // polarmcp_polar_requests_total{operation,status}
	PolarDuration   *Histogram1 // polarmcp_polar_request_duration_seconds{operation}
	PolarThrottled  *Counter1   // polarmcp_polar_throttled_total{connection}
	LimiterWaits    *Counter1   // polarmcp_limiter_waits_total{operation}
	LimiterRefusals *Counter1   // polarmcp_limiter_refusals_total{operation}
	LimiterWait     *Histogram  // polarmcp_limiter_wait_seconds
	Cache           *Counter2   // polarmcp_cache_lookups_total{kind,outcome}
	Sessions        *Gauge1     // polarmcp_sessions_open{transport}
	Streams         *Gauge1     // polarmcp_streams_open{transport}
	Webhooks        *Counter1   // polarmcp_webhook_deliveries_total{outcome}
	StoreErrors     *Counter1   // polarmcp_connection_store_errors_total{operation}
	AgentLookups    *Counter2   // polarmcp_agent_lookups_total{connection,found}
	reg             *registry
}

// seconds are the upper bounds of the duration histograms' buckets.
func seconds() []float64 { return []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30} }

// NewMetrics returns polar-mcp's series in a fresh registry, with the build
// info; WritePrometheus adds the Go runtime and process series.
func NewMetrics() *Metrics { return newMetrics(buildinfo.Read()) }

func newMetrics(bi buildinfo.Info) *Metrics {
	r := newRegistry()
	m := &Metrics{
		ToolCalls: &Counter3{counters[values3](r, "polarmcp_tool_calls_total",
			"Tool calls, by tool, caller role and outcome.", "tool", "role", "outcome")},
		ToolDuration: &Histogram1{histograms[values1](r, "polarmcp_tool_call_duration_seconds",
			"How long tool calls took.", "tool")},
		PolarRequests: &Counter2{counters[values2](r, "polarmcp_polar_requests_total",
			"HTTP requests sent to Polar, by operation and status (0: no answer).", "operation", "status")},
		PolarDuration: &Histogram1{histograms[values1](r, "polarmcp_polar_request_duration_seconds",
			"How long Polar took to answer.", "operation")},
		PolarThrottled: &Counter1{counters[values1](r, "polarmcp_polar_throttled_total",
			"429 answers received from Polar, by merchant connection (default: the single merchant).", "connection")},
		LimiterWaits: &Counter1{counters[values1](r, "polarmcp_limiter_waits_total",
			"Polar requests that waited for a rate limiter slot.", "operation")},
		LimiterRefusals: &Counter1{counters[values1](r, "polarmcp_limiter_refusals_total",
			"Polar requests the rate limiter refused without sending.", "operation")},
		LimiterWait: r.histogram("polarmcp_limiter_wait_seconds",
			"How long requests waited for a rate limiter slot (those that waited)."),
		Cache: &Counter2{counters[values2](r, "polarmcp_cache_lookups_total",
			"Cacheable reads, by kind (operation id) and outcome (hit, miss, coalesced).", "kind", "outcome")},
		Sessions: &Gauge1{gauges[values1](r, "polarmcp_sessions_open",
			"MCP sessions open, by transport.", "transport")},
		Streams: &Gauge1{gauges[values1](r, "polarmcp_streams_open",
			"SSE streams open (GET /sse, GET /mcp), by transport.", "transport")},
		Webhooks: &Counter1{counters[values1](r, "polarmcp_webhook_deliveries_total",
			"Polar webhook deliveries received, by outcome.", "outcome")},
		StoreErrors: &Counter1{counters[values1](r, "polarmcp_connection_store_errors_total",
			"Connection store failures, by operation.", "operation")},
		AgentLookups: &Counter2{counters[values2](r, "polarmcp_agent_lookups_total",
			"Customers looked up by support agents, by connection and whether one was found.", "connection", "found")},
		reg: r,
	}
	r.funcs("polarmcp_build_info", "Always 1: the running build's version and commit.").
		add(labelPairs([]string{"version", "commit"}, []string{bi.Version, bi.Commit}), func() float64 { return 1 })
	return m
}

// WatchDegraded registers polarmcp_degraded{reason}, 1 while degraded
// reports that a guarantee is weakened for reason (redis_unreachable:
// budgets and invalidations are not shared; organization_unknown: the
// single merchant's organization is not known). Call it once per reason.
func (m *Metrics) WatchDegraded(reason string, degraded func() bool) {
	const name = "polarmcp_degraded"
	m.reg.funcs(name, "1 while a guarantee is weakened, by reason (redis_unreachable, organization_unknown); see /readyz.").
		add(labelPairs([]string{"reason"}, []string{reason}), one(degraded))
}

// WatchDraining registers polarmcp_draining, 1 while draining reports
// that the server is shutting down (refusing new requests). Call it once.
func (m *Metrics) WatchDraining(draining func() bool) {
	const name = "polarmcp_draining"
	m.reg.funcs(name, "1 while the server drains calls in flight before exiting.").add("", one(draining))
}

// one is 1 while f reports true, else 0, read at each scrape.
func one(f func() bool) func() float64 {
	return func() float64 {
		if f() {
			return 1
		}
		return 0
	}
}
