package polarmcp

import "github.com/polar-mcp/polar-mcp/internal/observe"

// Option adjusts NewEndpoint and ServeHTTP.
type Option func(*options)

type options struct {
	tel          *observe.Telemetry // nil: not observed
	metricsReady chan<- string      // ServeHTTP: the metrics listener's address (tests)
}

// WithTelemetry makes NewEndpoint observed by tel: metrics, traces, the
// tool call and audit log lines. ServeHTTP builds its own.
func WithTelemetry(tel *observe.Telemetry) Option { return func(o *options) { o.tel = tel } }
