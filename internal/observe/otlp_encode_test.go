package observe

import (
	"math"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
)

// Helpers building the OTLP messages the official types expect.

func pbStr(s string) *commonpb.AnyValue {
	return &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: s}}
}
func pbBool(v bool) *commonpb.AnyValue {
	return &commonpb.AnyValue{Value: &commonpb.AnyValue_BoolValue{BoolValue: v}}
}
func pbInt(v int64) *commonpb.AnyValue {
	return &commonpb.AnyValue{Value: &commonpb.AnyValue_IntValue{IntValue: v}}
}
func pbDouble(v float64) *commonpb.AnyValue {
	return &commonpb.AnyValue{Value: &commonpb.AnyValue_DoubleValue{DoubleValue: v}}
}
func pbArray(vs ...*commonpb.AnyValue) *commonpb.AnyValue {
	return &commonpb.AnyValue{Value: &commonpb.AnyValue_ArrayValue{ArrayValue: &commonpb.ArrayValue{Values: vs}}}
}
func pbKV(k string, v *commonpb.AnyValue) *commonpb.KeyValue {
	return &commonpb.KeyValue{Key: k, Value: v}
}

// everyAttribute is one attribute of each type the SDK records, with
// zero values (a oneof's zero must survive), negative numbers and
// nesting; want is their OTLP form.
func everyAttribute() (attrs []attribute.KeyValue, want []*commonpb.KeyValue) {
	long := strings.Repeat("x", 20000) // a length of three varint bytes
	attrs = []attribute.KeyValue{
		attribute.Bool("b.true", true), attribute.Bool("b.false", false),
		attribute.Int64("i.neg", -42), attribute.Int64("i.zero", 0), attribute.Int64("i.max", math.MaxInt64),
		attribute.Float64("f", 3.25), attribute.Float64("f.zero", 0), attribute.Float64("f.neg", -1e-300),
		attribute.String("s", "héllo"), attribute.String("s.empty", ""), attribute.String("s.long", long),
		attribute.BoolSlice("bs", []bool{true, false}),
		attribute.Int64Slice("is", []int64{1, -2, 0}),
		attribute.Float64Slice("fs", []float64{0.5, 0}),
		attribute.StringSlice("ss", []string{"a", "", "c"}),
		attribute.StringSlice("ss.empty", []string{}),
		attribute.ByteSlice("bytes", []byte{0, 1, 0xff}),
		attribute.Slice("mixed", attribute.IntValue(7), attribute.StringValue("seven"), attribute.StringSliceValue([]string{"x"})),
		attribute.Map("m", attribute.String("k", "v"), attribute.Int("n", 0)),
		{Key: "empty"},
	}
	want = []*commonpb.KeyValue{
		pbKV("b.true", pbBool(true)), pbKV("b.false", pbBool(false)),
		pbKV("i.neg", pbInt(-42)), pbKV("i.zero", pbInt(0)), pbKV("i.max", pbInt(math.MaxInt64)),
		pbKV("f", pbDouble(3.25)), pbKV("f.zero", pbDouble(0)), pbKV("f.neg", pbDouble(-1e-300)),
		pbKV("s", pbStr("héllo")), pbKV("s.empty", pbStr("")), pbKV("s.long", pbStr(long)),
		pbKV("bs", pbArray(pbBool(true), pbBool(false))),
		pbKV("is", pbArray(pbInt(1), pbInt(-2), pbInt(0))),
		pbKV("fs", pbArray(pbDouble(0.5), pbDouble(0))),
		pbKV("ss", pbArray(pbStr("a"), pbStr(""), pbStr("c"))),
		pbKV("ss.empty", pbArray()),
		pbKV("bytes", &commonpb.AnyValue{Value: &commonpb.AnyValue_BytesValue{BytesValue: []byte{0, 1, 0xff}}}),
		pbKV("mixed", pbArray(pbInt(7), pbStr("seven"), pbArray(pbStr("x")))),
		pbKV("m", &commonpb.AnyValue{Value: &commonpb.AnyValue_KvlistValue{KvlistValue: &commonpb.KeyValueList{
			Values: []*commonpb.KeyValue{pbKV("k", pbStr("v")), pbKV("n", pbInt(0))}}}}),
		pbKV("empty", &commonpb.AnyValue{}),
	}
	return attrs, want
}

// spanContext is a span context of the given ids, flags, state and
// remoteness.
func spanContext(t *testing.T, tid, sid byte, flags trace.TraceFlags, state string, remote bool) trace.SpanContext {
	t.Helper()
	ts, err := trace.ParseTraceState(state)
	if err != nil {
		t.Fatal(err)
	}
	return trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID{tid, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, SpanID: trace.SpanID{sid, 2, 3, 4, 5, 6, 7, 8},
		TraceFlags: flags, TraceState: ts, Remote: remote})
}

// TestEncodeTracesRoundTripsThroughTheOfficialTypes encodes spans
// carrying every field the SDK gives (two resources, scopes with and
// without attributes, every kind, every status, events, links, dropped
// counts, local and remote parents) and decodes them with
// opentelemetry-proto's generated types.
func TestEncodeTracesRoundTripsThroughTheOfficialTypes(t *testing.T) {
	attrs, wantAttrs := everyAttribute()
	resA := resource.NewWithAttributes("https://opentelemetry.io/schemas/1.26.0", attribute.String("service.name", "polar-mcp"), attribute.Int("r", 1))
	resB := resource.NewSchemaless(attribute.String("service.name", "other"))
	scope1 := instrumentation.Scope{Name: "polar-mcp", Version: "v1.2.3", SchemaURL: "https://example.com/s",
		Attributes: attribute.NewSet(attribute.String("scope.attr", "yes"), attribute.Bool("scope.flag", false))}
	scope2 := instrumentation.Scope{Name: "second"}
	start := time.Unix(1700000000, 123456789)
	local := spanContext(t, 1, 1, trace.FlagsSampled, "vendor=value,other=x", false)
	remoteParent := spanContext(t, 1, 9, trace.FlagsSampled, "", true)
	linked := spanContext(t, 7, 7, 0, "l=1", true)
	linkedLocal := spanContext(t, 8, 8, trace.FlagsSampled, "", false)

	kinds := []trace.SpanKind{trace.SpanKindUnspecified, trace.SpanKindInternal, trace.SpanKindServer, trace.SpanKindClient, trace.SpanKindProducer, trace.SpanKindConsumer}
	statuses := []sdktrace.Status{{Code: codes.Unset}, {Code: codes.Ok}, {Code: codes.Error, Description: "upstream failed"}}
	var stubs tracetest.SpanStubs
	var wantSpans []*tracepb.Span
	for i, k := range kinds {
		st := statuses[i%len(statuses)]
		sc := spanContext(t, 1, byte(10+i), trace.FlagsSampled, "", false)
		stub := tracetest.SpanStub{Name: "span-" + k.String(), SpanContext: sc, SpanKind: k, StartTime: start, EndTime: start.Add(time.Duration(i+1) * time.Millisecond),
			Status: st, Resource: resA, InstrumentationScope: scope1}
		want := &tracepb.Span{TraceId: tid(sc), SpanId: sid(sc), Name: stub.Name, Kind: tracepb.Span_SpanKind(i),
			StartTimeUnixNano: uint64(start.UnixNano()), EndTimeUnixNano: uint64(stub.EndTime.UnixNano()),
			Status: &tracepb.Status{Code: tracepb.Status_StatusCode(i % 3), Message: st.Description}, Flags: 0x101}
		if i == 0 { // the full span: a remote parent, attributes, events, links, drops
			stub.SpanContext, stub.Parent = local, remoteParent
			stub.Attributes, stub.DroppedAttributes, stub.DroppedEvents, stub.DroppedLinks = attrs, 3, 4, 5
			stub.Events = []sdktrace.Event{{Name: "retry", Time: start.Add(time.Microsecond), Attributes: attrs[:3], DroppedAttributeCount: 2}, {Name: "bare", Time: start}}
			stub.Links = []sdktrace.Link{{SpanContext: linked, Attributes: attrs[8:9], DroppedAttributeCount: 1}, {SpanContext: linkedLocal}}
			want.TraceId, want.SpanId, want.TraceState, want.ParentSpanId = tid(local), sid(local), "vendor=value,other=x", sid(remoteParent)
			want.Flags = 0x301
			want.Attributes, want.DroppedAttributesCount, want.DroppedEventsCount, want.DroppedLinksCount = wantAttrs, 3, 4, 5
			want.Events = []*tracepb.Span_Event{
				{Name: "retry", TimeUnixNano: uint64(start.Add(time.Microsecond).UnixNano()), Attributes: wantAttrs[:3], DroppedAttributesCount: 2},
				{Name: "bare", TimeUnixNano: uint64(start.UnixNano())}}
			want.Links = []*tracepb.Span_Link{
				{TraceId: tid(linked), SpanId: sid(linked), TraceState: "l=1", Attributes: wantAttrs[8:9], DroppedAttributesCount: 1, Flags: 0x300},
				{TraceId: tid(linkedLocal), SpanId: sid(linkedLocal), Flags: 0x101}}
		}
		if i == 1 { // a local parent
			stub.Parent = spanContext(t, 1, 10, trace.FlagsSampled, "", false)
			want.ParentSpanId = sid(stub.Parent)
		}
		stubs = append(stubs, stub)
		wantSpans = append(wantSpans, want)
	}
	// Interleave other resources and scopes: they are grouped.
	other := tracetest.SpanStub{Name: "elsewhere", SpanContext: spanContext(t, 3, 3, 0, "", false), Resource: resB, StartTime: start, EndTime: start}
	second := tracetest.SpanStub{Name: "second-scope", SpanContext: spanContext(t, 4, 4, 0, "", false), Resource: resA, InstrumentationScope: scope2, StartTime: time.Unix(0, 0), EndTime: start}
	spans := append(stubs[:2:2].Snapshots(), other.Snapshot(), second.Snapshot())
	spans = append(spans, stubs[2:].Snapshots()...)

	wantResA := &resourcepb.Resource{Attributes: []*commonpb.KeyValue{pbKV("r", pbInt(1)), pbKV("service.name", pbStr("polar-mcp"))}}
	wantResB := &resourcepb.Resource{Attributes: []*commonpb.KeyValue{pbKV("service.name", pbStr("other"))}}
	want := &coltracepb.ExportTraceServiceRequest{ResourceSpans: []*tracepb.ResourceSpans{
		{Resource: wantResA, SchemaUrl: resA.SchemaURL(), ScopeSpans: []*tracepb.ScopeSpans{
			{Scope: &commonpb.InstrumentationScope{Name: "polar-mcp", Version: "v1.2.3",
				Attributes: []*commonpb.KeyValue{pbKV("scope.attr", pbStr("yes")), pbKV("scope.flag", pbBool(false))}},
				SchemaUrl: "https://example.com/s", Spans: wantSpans},
			{Scope: &commonpb.InstrumentationScope{Name: "second"}, Spans: []*tracepb.Span{{Name: "second-scope",
				TraceId: tid(second.SpanContext), SpanId: sid(second.SpanContext), EndTimeUnixNano: uint64(start.UnixNano()),
				Status: &tracepb.Status{}, Flags: 0x100}}},
		}},
		{Resource: wantResB, ScopeSpans: []*tracepb.ScopeSpans{{Spans: []*tracepb.Span{{Name: "elsewhere",
			TraceId: tid(other.SpanContext), SpanId: sid(other.SpanContext), StartTimeUnixNano: uint64(start.UnixNano()),
			EndTimeUnixNano: uint64(start.UnixNano()), Status: &tracepb.Status{}, Flags: 0x100}}}}},
	}}

	var got coltracepb.ExportTraceServiceRequest
	if err := proto.Unmarshal(encodeTraces(nil, spans), &got); err != nil {
		t.Fatalf("the official types cannot decode the request: %v", err)
	}
	if !proto.Equal(&got, want) {
		t.Errorf("decoded request differs\n got: %s\nwant: %s", short(&got), short(want))
	}
	if len(encodeTraces(nil, nil)) != 0 || len(encodeTraces(nil, []sdktrace.ReadOnlySpan{nil})) != 0 {
		t.Error("no spans should encode to an empty request")
	}
}

// TestEncodeTracesMatchesProtoMarshal checks the bytes, not only the
// decoded message: they are what proto.Marshal writes for the same
// message (fields in number order, zero scalars left out).
func TestEncodeTracesMatchesProtoMarshal(t *testing.T) {
	attrs, _ := everyAttribute()
	sc := spanContext(t, 5, 5, trace.FlagsSampled, "a=b", false)
	s := tracetest.SpanStub{Name: "n", SpanContext: sc, Parent: spanContext(t, 5, 6, 0, "", true), SpanKind: trace.SpanKindServer,
		StartTime: time.Unix(10, 0), EndTime: time.Unix(11, 0), Attributes: attrs, Status: sdktrace.Status{Code: codes.Error, Description: "d"},
		Events: []sdktrace.Event{{Name: "e", Time: time.Unix(10, 5), Attributes: attrs}}, Links: []sdktrace.Link{{SpanContext: sc, Attributes: attrs}},
		Resource: resource.NewSchemaless(attrs[:11]...), InstrumentationScope: instrumentation.Scope{Name: "s", Version: "1"}}
	b := encodeTraces(nil, []sdktrace.ReadOnlySpan{s.Snapshot()})
	var m coltracepb.ExportTraceServiceRequest
	if err := proto.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	again, err := proto.MarshalOptions{Deterministic: true}.Marshal(&m)
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(b) {
		t.Errorf("encodeTraces wrote %d bytes, proto.Marshal %d for the same message", len(b), len(again))
	}
}

func tid(sc trace.SpanContext) []byte { id := sc.TraceID(); return id[:] }
func sid(sc trace.SpanContext) []byte { id := sc.SpanID(); return id[:] }

// short is m as text with long strings cut, for failure messages.
func short(m proto.Message) string {
	s := prototext.MarshalOptions{}.Format(m)
	return strings.ReplaceAll(s, strings.Repeat("x", 20000), "x…")
}
