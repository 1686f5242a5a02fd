package observe

import (
	"math"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// Field numbers of opentelemetry-proto v1 (collector/trace/v1,
// trace/v1, common/v1, resource/v1) that encodeTraces writes.
const (
	fExportResourceSpans = 1 // ExportTraceServiceRequest.resource_spans

	fResourceSpansResource   = 1
	fResourceSpansScopeSpans = 2
	fResourceSpansSchemaURL  = 3
	fResourceAttributes      = 1

	fScopeSpansScope     = 1
	fScopeSpansSpans     = 2
	fScopeSpansSchemaURL = 3
	fScopeName           = 1
	fScopeVersion        = 2
	fScopeAttributes     = 3

	fSpanTraceID           = 1
	fSpanSpanID            = 2
	fSpanTraceState        = 3
	fSpanParentSpanID      = 4
	fSpanName              = 5
	fSpanKind              = 6
	fSpanStart             = 7
	fSpanEnd               = 8
	fSpanAttributes        = 9
	fSpanDroppedAttributes = 10
	fSpanEvents            = 11
	fSpanDroppedEvents     = 12
	fSpanLinks             = 13
	fSpanDroppedLinks      = 14
	fSpanStatus            = 15
	fSpanFlags             = 16

	fEventTime              = 1
	fEventName              = 2
	fEventAttributes        = 3
	fEventDroppedAttributes = 4

	fLinkTraceID           = 1
	fLinkSpanID            = 2
	fLinkTraceState        = 3
	fLinkAttributes        = 4
	fLinkDroppedAttributes = 5
	fLinkFlags             = 6

	fStatusMessage = 2
	fStatusCode    = 3

	fKeyValueKey   = 1
	fKeyValueValue = 2
	fAnyString     = 1
	fAnyBool       = 2
	fAnyInt        = 3
	fAnyDouble     = 4
	fAnyArray      = 5
	fAnyKvlist     = 6
	fAnyBytes      = 7
	fListValues    = 1 // ArrayValue.values and KeyValueList.values

	// SpanFlags: the context knows whether its parent is remote, and it is.
	flagHasIsRemote = 0x100
	flagIsRemote    = 0x200
)

// encodeTraces appends to b the ExportTraceServiceRequest of spans,
// grouped by resource and then by instrumentation scope as the
// official OTLP exporter groups them, in the order they first appear.
func encodeTraces(b []byte, spans []sdktrace.ReadOnlySpan) []byte {
	type scopeKey struct {
		r attribute.Distinct
		s instrumentation.Scope
	}
	type group struct {
		res    *resource.Resource
		scopes []instrumentation.Scope
		spans  map[instrumentation.Scope][]sdktrace.ReadOnlySpan
	}
	var order []attribute.Distinct
	groups := map[attribute.Distinct]*group{}
	seen := map[scopeKey]bool{}
	for _, s := range spans {
		if s == nil {
			continue
		}
		rk := s.Resource().Equivalent()
		g := groups[rk]
		if g == nil {
			g = &group{res: s.Resource(), spans: map[instrumentation.Scope][]sdktrace.ReadOnlySpan{}}
			groups[rk] = g
			order = append(order, rk)
		}
		sc := s.InstrumentationScope()
		if k := (scopeKey{rk, sc}); !seen[k] {
			seen[k] = true
			g.scopes = append(g.scopes, sc)
		}
		g.spans[sc] = append(g.spans[sc], s)
	}
	for _, rk := range order {
		g := groups[rk]
		b = appendMessage(b, fExportResourceSpans, func(b []byte) []byte {
			if g.res != nil {
				b = appendMessage(b, fResourceSpansResource, func(b []byte) []byte {
					return appendAttrs(b, fResourceAttributes, g.res.Attributes())
				})
			}
			for _, sc := range g.scopes {
				b = appendMessage(b, fResourceSpansScopeSpans, func(b []byte) []byte {
					return appendScopeSpans(b, sc, g.spans[sc])
				})
			}
			if g.res != nil {
				b = appendString(b, fResourceSpansSchemaURL, g.res.SchemaURL())
			}
			return b
		})
	}
	return b
}

// appendScopeSpans appends the fields of one ScopeSpans.
func appendScopeSpans(b []byte, sc instrumentation.Scope, spans []sdktrace.ReadOnlySpan) []byte {
	if sc != (instrumentation.Scope{}) {
		b = appendMessage(b, fScopeSpansScope, func(b []byte) []byte {
			b = appendString(b, fScopeName, sc.Name)
			b = appendString(b, fScopeVersion, sc.Version)
			return appendAttrs(b, fScopeAttributes, sc.Attributes.ToSlice())
		})
	}
	for _, s := range spans {
		b = appendMessage(b, fScopeSpansSpans, func(b []byte) []byte { return appendSpan(b, s) })
	}
	return appendString(b, fScopeSpansSchemaURL, sc.SchemaURL)
}

// appendSpan appends the fields of one Span.
func appendSpan(b []byte, s sdktrace.ReadOnlySpan) []byte {
	sc := s.SpanContext()
	tid, sid := sc.TraceID(), sc.SpanID()
	b = appendBytes(b, fSpanTraceID, tid[:])
	b = appendBytes(b, fSpanSpanID, sid[:])
	b = appendString(b, fSpanTraceState, sc.TraceState().String())
	if psid := s.Parent().SpanID(); psid.IsValid() {
		b = appendBytes(b, fSpanParentSpanID, psid[:])
	}
	b = appendString(b, fSpanName, s.Name())
	b = appendVarint(b, fSpanKind, spanKind(s.SpanKind()))
	b = appendFixed64(b, fSpanStart, unixNano(s.StartTime().UnixNano()))
	b = appendFixed64(b, fSpanEnd, unixNano(s.EndTime().UnixNano()))
	b = appendAttrs(b, fSpanAttributes, s.Attributes())
	b = appendVarint(b, fSpanDroppedAttributes, clampUint32(s.DroppedAttributes()))
	for _, e := range s.Events() {
		b = appendMessage(b, fSpanEvents, func(b []byte) []byte {
			b = appendFixed64(b, fEventTime, unixNano(e.Time.UnixNano()))
			b = appendString(b, fEventName, e.Name)
			b = appendAttrs(b, fEventAttributes, e.Attributes)
			return appendVarint(b, fEventDroppedAttributes, clampUint32(e.DroppedAttributeCount))
		})
	}
	b = appendVarint(b, fSpanDroppedEvents, clampUint32(s.DroppedEvents()))
	for _, l := range s.Links() {
		b = appendMessage(b, fSpanLinks, func(b []byte) []byte {
			ltid, lsid := l.SpanContext.TraceID(), l.SpanContext.SpanID()
			b = appendBytes(b, fLinkTraceID, ltid[:])
			b = appendBytes(b, fLinkSpanID, lsid[:])
			b = appendString(b, fLinkTraceState, l.SpanContext.TraceState().String())
			b = appendAttrs(b, fLinkAttributes, l.Attributes)
			b = appendVarint(b, fLinkDroppedAttributes, clampUint32(l.DroppedAttributeCount))
			return appendFixed32(b, fLinkFlags, spanFlags(l.SpanContext.TraceFlags(), l.SpanContext))
		})
	}
	b = appendVarint(b, fSpanDroppedLinks, clampUint32(s.DroppedLinks()))
	st := s.Status()
	b = appendMessage(b, fSpanStatus, func(b []byte) []byte {
		b = appendString(b, fStatusMessage, st.Description)
		return appendVarint(b, fStatusCode, statusCode(st.Code))
	})
	return appendFixed32(b, fSpanFlags, spanFlags(sc.TraceFlags(), s.Parent()))
}

// appendAttrs appends one KeyValue field num per attribute.
func appendAttrs(b []byte, num int, attrs []attribute.KeyValue) []byte {
	for _, kv := range attrs {
		b = appendMessage(b, num, func(b []byte) []byte {
			b = appendString(b, fKeyValueKey, string(kv.Key))
			return appendMessage(b, fKeyValueValue, func(b []byte) []byte { return appendValue(b, kv.Value) })
		})
	}
	return b
}

// appendValue appends the fields of the AnyValue of v. The value's
// field is written even when zero (it is a oneof: its presence is the
// type); an EMPTY value is an AnyValue without one.
func appendValue(b []byte, v attribute.Value) []byte {
	switch v.Type() {
	case attribute.EMPTY:
		return b
	case attribute.BOOL:
		return appendVarintRaw(appendTag(b, fAnyBool, wireVarint), boolVarint(v.AsBool()))
	case attribute.INT64:
		return appendVarintRaw(appendTag(b, fAnyInt, wireVarint), uint64(v.AsInt64()))
	case attribute.FLOAT64:
		return appendFixed64Raw(appendTag(b, fAnyDouble, wireFixed64), math.Float64bits(v.AsFloat64()))
	case attribute.STRING:
		return appendBytesRaw(appendTag(b, fAnyString, wireBytes), v.AsString())
	case attribute.BYTESLICE:
		return appendBytesRaw(appendTag(b, fAnyBytes, wireBytes), v.AsByteSlice())
	case attribute.MAP:
		return appendMessage(b, fAnyKvlist, func(b []byte) []byte { return appendAttrs(b, fListValues, v.AsMap()) })
	case attribute.BOOLSLICE, attribute.INT64SLICE, attribute.FLOAT64SLICE, attribute.STRINGSLICE, attribute.SLICE:
		return appendMessage(b, fAnyArray, func(b []byte) []byte {
			for _, e := range sliceValues(v) {
				b = appendMessage(b, fListValues, func(b []byte) []byte { return appendValue(b, e) })
			}
			return b
		})
	default:
		return appendBytesRaw(appendTag(b, fAnyString, wireBytes), "INVALID")
	}
}

// sliceValues returns the elements of a slice-typed v.
func sliceValues(v attribute.Value) []attribute.Value {
	var out []attribute.Value
	switch v.Type() {
	case attribute.BOOLSLICE:
		for _, e := range v.AsBoolSlice() {
			out = append(out, attribute.BoolValue(e))
		}
	case attribute.INT64SLICE:
		for _, e := range v.AsInt64Slice() {
			out = append(out, attribute.Int64Value(e))
		}
	case attribute.FLOAT64SLICE:
		for _, e := range v.AsFloat64Slice() {
			out = append(out, attribute.Float64Value(e))
		}
	case attribute.STRINGSLICE:
		for _, e := range v.AsStringSlice() {
			out = append(out, attribute.StringValue(e))
		}
	case attribute.SLICE:
		out = v.AsSlice()
	}
	return out
}

// spanFlags is the OTLP flags word: the W3C trace flags in the low byte,
// and whether parent (the span's parent, or a link's own context) is
// remote.
func spanFlags(tf trace.TraceFlags, parent trace.SpanContext) uint32 {
	f := uint32(tf) | flagHasIsRemote
	if parent.IsRemote() {
		f |= flagIsRemote
	}
	return f
}

// spanKind maps a span kind to Span.SpanKind's numbers.
func spanKind(k trace.SpanKind) uint64 {
	switch k {
	case trace.SpanKindInternal:
		return 1
	case trace.SpanKindServer:
		return 2
	case trace.SpanKindClient:
		return 3
	case trace.SpanKindProducer:
		return 4
	case trace.SpanKindConsumer:
		return 5
	default:
		return 0
	}
}

// statusCode maps a status code to Status.StatusCode's numbers.
func statusCode(c codes.Code) uint64 {
	switch c {
	case codes.Ok:
		return 1
	case codes.Error:
		return 2
	default:
		return 0
	}
}

func boolVarint(v bool) uint64 {
	if v {
		return 1
	}
	return 0
}

func unixNano(n int64) uint64 { return uint64(max(0, n)) }

func clampUint32(v int) uint64 { return uint64(min(max(v, 0), math.MaxUint32)) }

// appendMessage appends field num holding the message body appends. It
// reserves one byte for the length and moves the body when it is longer
// than 127 bytes, so nested messages are written in one pass.
func appendMessage(b []byte, num int, body func([]byte) []byte) []byte {
	b = appendTag(b, num, wireBytes)
	at := len(b)
	b = body(append(b, 0))
	n := len(b) - at - 1
	k := sizeVarint(uint64(n))
	if k > 1 {
		b = append(b, make([]byte, k-1)...)
		copy(b[at+k:], b[at+1:at+1+n])
	}
	appendVarintRaw(b[:at], uint64(n))
	return b
}

// The scalar appenders leave out zero values, as proto3 does.

func appendString(b []byte, num int, s string) []byte {
	if s == "" {
		return b
	}
	return appendBytesRaw(appendTag(b, num, wireBytes), s)
}

func appendBytes(b []byte, num int, v []byte) []byte {
	if len(v) == 0 {
		return b
	}
	return appendBytesRaw(appendTag(b, num, wireBytes), v)
}

func appendVarint(b []byte, num int, v uint64) []byte {
	if v == 0 {
		return b
	}
	return appendVarintRaw(appendTag(b, num, wireVarint), v)
}

func appendFixed64(b []byte, num int, v uint64) []byte {
	if v == 0 {
		return b
	}
	return appendFixed64Raw(appendTag(b, num, wireFixed64), v)
}

func appendFixed32(b []byte, num int, v uint32) []byte {
	if v == 0 {
		return b
	}
	return appendFixed32Raw(appendTag(b, num, wireFixed32), v)
}
