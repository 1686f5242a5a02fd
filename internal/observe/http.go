package observe

import (
	"net/http"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// RequestIDHeader carries a request's id: a sane one the client sends is
// kept, otherwise one is made; the answer always carries it.
const RequestIDHeader = "X-Request-Id"

// HTTP wraps the hosted endpoint: each request to an MCP transport
// (/mcp, /sse, /message) gets a request id, a span "mcp.request" that
// its tool calls are children of (a W3C traceparent the client sends is
// continued), and its transport; each SSE stream it opens counts in
// polarmcp_streams_open while open. Other paths pass through untouched.
func (o *Observer) HTTP(next http.Handler) http.Handler {
	prop := propagation.TraceContext{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		transport := pathTransport(r.URL.Path)
		if transport == "" {
			next.ServeHTTP(w, r)
			return
		}
		id := r.Header.Get(RequestIDHeader)
		if !saneID(id) {
			id = newID()
		}
		w.Header().Set(RequestIDHeader, id)
		ctx := prop.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		ctx = withRequest(ctx, request{id: id, transport: transport})
		// The path may name a connection id, never a secret; the query
		// (a session id) is left out.
		ctx, span := o.tracer.Start(ctx, "mcp.request", trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(attribute.String("http.request.method", r.Method),
				attribute.String("url.path", r.URL.Path), attribute.String("polarmcp.transport", transport),
				attribute.String("polarmcp.request_id", id)))
		defer span.End()
		if r.Method == http.MethodGet && o.metrics != nil {
			sw := &streamWriter{ResponseWriter: w, open: func() { o.metrics.Streams.Inc(transport) }}
			defer func() {
				if sw.opened {
					o.metrics.Streams.Dec(transport)
				}
			}()
			w = sw
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// pathTransport names the MCP transport a path belongs to; "" for
// health checks, metadata and the admin API.
func pathTransport(path string) string {
	switch {
	case strings.HasSuffix(path, "/mcp"):
		return TransportStreamable
	case strings.HasSuffix(path, "/sse"), strings.HasSuffix(path, "/message"):
		return TransportSSE
	}
	return ""
}

// saneID reports whether a client's request id may be kept: short, and
// only letters, digits, '-', '_' and '.'.
func saneID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// streamWriter counts a GET as an open stream once it answers 200 with
// an event stream.
type streamWriter struct {
	http.ResponseWriter
	open   func()
	opened bool
	wrote  bool
}

func (s *streamWriter) WriteHeader(code int) {
	if !s.wrote {
		s.wrote = true
		if code == http.StatusOK && strings.HasPrefix(s.Header().Get("Content-Type"), "text/event-stream") {
			s.opened = true
			s.open()
		}
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *streamWriter) Write(p []byte) (int, error) {
	if !s.wrote {
		s.WriteHeader(http.StatusOK)
	}
	return s.ResponseWriter.Write(p)
}

// Flush implements http.Flusher, which SSE needs.
func (s *streamWriter) Flush() {
	if !s.wrote {
		s.WriteHeader(http.StatusOK)
	}
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (s *streamWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
