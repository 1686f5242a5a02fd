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
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/polar-mcp/polar-mcp/internal/buildinfo"
)

// Metrics are polar-mcp's Prometheus series, registered on the registry
// the composition root passes to NewMetrics.
type Metrics struct {
	ToolCalls       *prometheus.CounterVec   // polarmcp_tool_calls_total{tool,role,outcome}
	ToolDuration    *prometheus.HistogramVec // polarmcp_tool_call_duration_seconds{tool}
	PolarRequests   *prometheus.CounterVec   // polarmcp_polar_requests_total{operation,status}
	PolarDuration   *prometheus.HistogramVec // polarmcp_polar_request_duration_seconds{operation}
	PolarThrottled  *prometheus.CounterVec   // polarmcp_polar_throttled_total{connection}
	LimiterWaits    *prometheus.CounterVec   // polarmcp_limiter_waits_total{operation}
	LimiterRefusals *prometheus.CounterVec   // polarmcp_limiter_refusals_total{operation}
	LimiterWait     prometheus.Histogram     // polarmcp_limiter_wait_seconds
	Cache           *prometheus.CounterVec   // polarmcp_cache_lookups_total{kind,outcome}
	Sessions        *prometheus.GaugeVec     // polarmcp_sessions_open{transport}
	Streams         *prometheus.GaugeVec     // polarmcp_streams_open{transport}
	Webhooks        *prometheus.CounterVec   // polarmcp_webhook_deliveries_total{outcome}
	StoreErrors     *prometheus.CounterVec   // polarmcp_connection_store_errors_total{operation}
	AgentLookups    *prometheus.CounterVec   // polarmcp_agent_lookups_total{connection,found}
	reg             prometheus.Registerer
}

// NewMetrics registers polar-mcp's series on reg, with the build info and
// the Go runtime and process collectors. It panics if reg already holds
// them (one Metrics per registry).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	seconds := []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}
	m := &Metrics{
		ToolCalls: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "polarmcp_tool_calls_total",
			Help: "Tool calls, by tool, caller role and outcome."}, []string{"tool", "role", "outcome"}),
		ToolDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "polarmcp_tool_call_duration_seconds",
			Help: "How long tool calls took.", Buckets: seconds}, []string{"tool"}),
		PolarRequests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "polarmcp_polar_requests_total",
			Help: "HTTP requests sent to Polar, by operation and status (0: no answer)."}, []string{"operation", "status"}),
		PolarDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "polarmcp_polar_request_duration_seconds",
			Help: "How long Polar took to answer.", Buckets: seconds}, []string{"operation"}),
		PolarThrottled: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "polarmcp_polar_throttled_total",
			Help: "429 answers received from Polar, by merchant connection (default: the single merchant)."}, []string{"connection"}),
		LimiterWaits: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "polarmcp_limiter_waits_total",
			Help: "Polar requests that waited for a rate limiter slot."}, []string{"operation"}),
		LimiterRefusals: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "polarmcp_limiter_refusals_total",
			Help: "Polar requests the rate limiter refused without sending."}, []string{"operation"}),
		LimiterWait: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "polarmcp_limiter_wait_seconds",
			Help: "How long requests waited for a rate limiter slot (those that waited).", Buckets: seconds}),
		Cache: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "polarmcp_cache_lookups_total",
			Help: "Cacheable reads, by kind (operation id) and outcome (hit, miss, coalesced)."}, []string{"kind", "outcome"}),
		Sessions: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "polarmcp_sessions_open",
			Help: "MCP sessions open, by transport."}, []string{"transport"}),
		Streams: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "polarmcp_streams_open",
			Help: "SSE streams open (GET /sse, GET /mcp), by transport."}, []string{"transport"}),
		Webhooks: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "polarmcp_webhook_deliveries_total",
			Help: "Polar webhook deliveries received, by outcome."}, []string{"outcome"}),
		StoreErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "polarmcp_connection_store_errors_total",
			Help: "Connection store failures, by operation."}, []string{"operation"}),
		AgentLookups: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "polarmcp_agent_lookups_total",
			Help: "Customers looked up by support agents, by connection and whether one was found."}, []string{"connection", "found"}),
		reg: reg,
	}
	bi := buildinfo.Read()
	build := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "polarmcp_build_info",
		Help: "Always 1: the running build's version and commit."}, []string{"version", "commit"})
	build.WithLabelValues(bi.Version, bi.Commit).Set(1)
	reg.MustRegister(m.ToolCalls, m.ToolDuration, m.PolarRequests, m.PolarDuration, m.PolarThrottled,
		m.LimiterWaits, m.LimiterRefusals, m.LimiterWait, m.Cache, m.Sessions, m.Streams, m.Webhooks,
		m.StoreErrors, m.AgentLookups, build,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// WatchDegraded registers polarmcp_degraded{reason}, 1 while degraded
// reports that a guarantee is weakened for reason (redis_unreachable:
// budgets and invalidations are not shared; organization_unknown: the
// single merchant's organization is not known). Call it once per reason.
func (m *Metrics) WatchDegraded(reason string, degraded func() bool) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "polarmcp_degraded",
		Help:        "1 while a guarantee is weakened, by reason (redis_unreachable, organization_unknown); see /readyz.",
		ConstLabels: prometheus.Labels{"reason": reason}}, func() float64 {
		if degraded() {
			return 1
		}
		return 0
	}))
}

// WatchDraining registers polarmcp_draining, 1 while draining reports
// that the server is shutting down (refusing new requests). Call it once.
func (m *Metrics) WatchDraining(draining func() bool) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "polarmcp_draining",
		Help: "1 while the server drains calls in flight before exiting."}, func() float64 {
		if draining() {
			return 1
		}
		return 0
	}))
}
