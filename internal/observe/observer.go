package observe

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
)

// TracerName is the instrumentation scope of polar-mcp's spans.
const TracerName = "github.com/polar-mcp/polar-mcp"

// Config configures New.
type Config struct {
	// Metrics receives the series; nil records none.
	Metrics *Metrics
	// Tracer provides the spans; none are recorded when nil (traces are
	// off unless OTEL_EXPORTER_OTLP_ENDPOINT is set, see NewTracerProvider).
	Tracer trace.TracerProvider
	// Logger receives the tool call and agent lookup lines;
	// slog.Default() when nil.
	Logger *slog.Logger
}

// Observer observes one server. It is a polar.Observer and a
// cache.Observer (pass it in polar.Config and cache.Config), and gives the
// tool middleware (ToolMiddleware), the mcp-go hooks (Hooks) and the HTTP
// middleware (HTTP) of the server. It is safe for concurrent use.
type Observer struct {
	metrics  *Metrics
	tracer   trace.Tracer
	log      *slog.Logger
	sessions *sessionGauge
}

var (
	_ polar.Observer = (*Observer)(nil)
	_ cache.Observer = (*Observer)(nil)
)

// New returns the observer cfg describes.
func New(cfg Config) *Observer {
	tp := cfg.Tracer
	if tp == nil {
		tp = noop.NewTracerProvider()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	o := &Observer{metrics: cfg.Metrics, tracer: tp.Tracer(TracerName), log: cfg.Logger}
	o.sessions = newSessionGauge(o.metrics)
	return o
}

// Metrics returns the observer's series (nil when it records none), for
// the collaborators that count their own events (webhook deliveries,
// connection store errors).
func (o *Observer) Metrics() *Metrics { return o.metrics }

// connectionLabel is the label of the call's merchant connection:
// "default" for the single merchant and stdio.
func connectionLabel(ctx context.Context) string {
	if id, ok := caller.ConnectionFrom(ctx); ok {
		return id
	}
	return "default"
}

// OnRequest implements polar.Observer: a span, the request series, and a
// notifications/message for the client of a failed or retried request.
func (o *Observer) OnRequest(ctx context.Context, e polar.RequestEvent) {
	callFrom(ctx).spent()
	tellRequest(ctx, e)
	status := strconv.Itoa(e.Status)
	if m := o.metrics; m != nil {
		m.PolarRequests.Inc(e.Operation, status)
		m.PolarDuration.Observe(e.Duration.Seconds(), e.Operation)
		if e.Status == 429 {
			m.PolarThrottled.Inc(connectionLabel(ctx))
		}
	}
	_, span := o.tracer.Start(ctx, "polar "+e.Operation, trace.WithSpanKind(trace.SpanKindClient),
		trace.WithTimestamp(e.Start), trace.WithAttributes(
			attribute.String("polar.operation", e.Operation),
			attribute.Int("http.response.status_code", e.Status),
			attribute.Int("polar.attempt", e.Attempt),
			attribute.String("polarmcp.connection", connectionLabel(ctx))))
	span.End(trace.WithTimestamp(e.Start.Add(e.Duration)))
}

// OnLimit implements polar.Observer: a span for a wait or a refusal, the
// limiter series, and a notifications/message for the client.
func (o *Observer) OnLimit(ctx context.Context, e polar.LimitEvent) {
	if !e.Waited && !e.Refused {
		return
	}
	tellLimit(ctx, e)
	if m := o.metrics; m != nil {
		if e.Waited {
			m.LimiterWaits.Inc(e.Operation)
			m.LimiterWait.Observe(e.Duration.Seconds())
		}
		if e.Refused {
			m.LimiterRefusals.Inc(e.Operation)
		}
	}
	_, span := o.tracer.Start(ctx, "polar.limiter", trace.WithTimestamp(e.Start), trace.WithAttributes(
		attribute.String("polar.operation", e.Operation),
		attribute.Bool("polar.limiter.waited", e.Waited),
		attribute.Bool("polar.limiter.refused", e.Refused)))
	span.End(trace.WithTimestamp(e.Start.Add(e.Duration)))
}

// OnCache implements cache.Observer: a span for the decision, and the
// cache series.
func (o *Observer) OnCache(ctx context.Context, e cache.Event) {
	if m := o.metrics; m != nil {
		m.Cache.Inc(e.Kind, e.Outcome)
	}
	now := time.Now()
	_, span := o.tracer.Start(ctx, "cache "+e.Kind, trace.WithTimestamp(now), trace.WithAttributes(
		attribute.String("cache.kind", e.Kind), attribute.String("cache.outcome", e.Outcome)))
	span.End(trace.WithTimestamp(now))
}
