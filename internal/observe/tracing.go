package observe

import (
	"context"
	"fmt"
	"os"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/polar-mcp/polar-mcp/internal/buildinfo"
)

// TracesEnabled reports whether the standard OpenTelemetry variables
// getenv returns ask for OTLP trace export: OTEL_EXPORTER_OTLP_ENDPOINT
// or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set, and neither
// OTEL_SDK_DISABLED=true nor OTEL_TRACES_EXPORTER=none says otherwise.
func TracesEnabled(getenv func(string) string) bool {
	if strings.EqualFold(getenv("OTEL_SDK_DISABLED"), "true") || strings.EqualFold(getenv("OTEL_TRACES_EXPORTER"), "none") {
		return false
	}
	return getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != ""
}

// NewTracerProvider returns the tracer provider the environment asks for:
// a no-op one unless TracesEnabled, else one batching spans to this
// package's OTLP/HTTP exporter, configured by the standard variables
// (OTEL_EXPORTER_OTLP_*: endpoint, headers, timeout, compression,
// certificates; see otlpConfigFromEnv), with the
// sampler of OTEL_TRACES_SAMPLER and the resource of OTEL_SERVICE_NAME and
// OTEL_RESOURCE_ATTRIBUTES (service.name defaults to polar-mcp). Call
// shutdown before exiting: it flushes the spans still buffered.
func NewTracerProvider(_ context.Context, getenv func(string) string) (tp trace.TracerProvider, shutdown func(context.Context) error, err error) {
	if !TracesEnabled(getenv) {
		return noop.NewTracerProvider(), func(context.Context) error { return nil }, nil
	}
	key := "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL" // the signal's own variable wins
	if strings.TrimSpace(getenv(key)) == "" {
		key = "OTEL_EXPORTER_OTLP_PROTOCOL"
	}
	if p := strings.TrimSpace(getenv(key)); p != "" && p != "http/protobuf" {
		return nil, nil, fmt.Errorf("%s=%q: polar-mcp exports traces over http/protobuf only", key, p)
	}
	cfg, err := otlpConfigFromEnv(getenv, os.ReadFile)
	if err != nil {
		return nil, nil, fmt.Errorf("OTLP trace exporter: %w", err)
	}
	exp := newOTLPExporter(cfg)
	bi := buildinfo.Read()
	res, err := resource.Merge(
		resource.NewSchemaless(semconv.ServiceName("polar-mcp"), semconv.ServiceVersion(bi.Version),
			attribute.String("vcs.revision", bi.Commit)),
		resource.Environment())
	if err != nil {
		return nil, nil, fmt.Errorf("OTEL_RESOURCE_ATTRIBUTES: %w", err)
	}
	p := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	return p, p.Shutdown, nil
}
