package observe

import (
	"bytes"
	"context"
	"math"
	"net/http"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

// TestWireVarintsMatchProtowire compares the hand-written varints with
// protowire's at every length boundary.
func TestWireVarintsMatchProtowire(t *testing.T) {
	for _, v := range []uint64{0, 1, 127, 128, 255, 300, 16383, 16384, 1<<21 - 1, 1 << 21, 1<<32 + 5, 1<<56 + 1, 1 << 63, math.MaxUint64} {
		got, want := appendVarintRaw([]byte{9}, v), protowire.AppendVarint([]byte{9}, v)
		if !bytes.Equal(got, want) || sizeVarint(v) != protowire.SizeVarint(v) {
			t.Errorf("%d: % x (size %d), protowire % x", v, got, sizeVarint(v), want)
		}
		if back, n := consumeVarint(got[1:]); back != v || n != len(want)-1 {
			t.Errorf("%d: read back %d in %d bytes", v, back, n)
		}
	}
	for _, num := range []int{1, 15, 16, 2047, 2048, 1<<29 - 1} {
		if got, want := appendTag(nil, num, wireBytes), protowire.AppendTag(nil, protowire.Number(num), protowire.BytesType); !bytes.Equal(got, want) {
			t.Errorf("tag %d: % x, protowire % x", num, got, want)
		}
	}
}

// TestWireNextFieldRefusesMalformedMessages: the reader of collector
// answers stops at anything it cannot walk, never panics.
func TestWireNextFieldRefusesMalformedMessages(t *testing.T) {
	good := protowire.AppendTag(nil, 2, protowire.BytesType)
	good = protowire.AppendString(good, "msg")
	good = protowire.AppendTag(good, 1, protowire.VarintType)
	good = protowire.AppendVarint(good, 7)
	good = protowire.AppendTag(good, 3, protowire.Fixed32Type)
	good = protowire.AppendFixed32(good, 1)
	good = protowire.AppendTag(good, 4, protowire.Fixed64Type)
	good = protowire.AppendFixed64(good, 1)
	if protoStringField(good, 2) != "msg" {
		t.Errorf("string field: %q", protoStringField(good, 2))
	}
	if v, ok := protoVarintField(good, 1); !ok || v != 7 {
		t.Errorf("varint field: %d %v", v, ok)
	}
	for name, b := range map[string][]byte{
		"truncated varint":   {0x08, 0x80},
		"length past end":    {0x12, 0x05, 'a'},
		"group":              {0x0b},
		"field number 0":     {0x02, 0x00},
		"truncated fixed64":  {0x21, 1, 2},
		"truncated fixed32":  {0x1d, 1},
		"eleven-byte varint": {0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01},
	} {
		if _, _, _, _, _, ok := nextField(b); ok {
			t.Errorf("%s: read as a field", name)
		}
		_ = protoStringField(b, 2)
		_ = partialSuccess(b)
	}
}

// TestOTLPNamesTheCollectorsStatusMessage: a protobuf refusal is a
// google.rpc.Status; its message is in the error.
func TestOTLPNamesTheCollectorsStatusMessage(t *testing.T) {
	c := newCollector(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		st := protowire.AppendTag(nil, 1, protowire.VarintType)
		st = protowire.AppendVarint(st, 3) // INVALID_ARGUMENT
		st = protowire.AppendTag(st, 2, protowire.BytesType)
		st = protowire.AppendString(st, "span name missing")
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write(st)
	})
	err := exporterFor(t, map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": c.srv.URL}).ExportSpans(context.Background(), oneSpan(t))
	if err == nil || !strings.HasSuffix(err.Error(), "answered 400 Bad Request: span name missing") {
		t.Errorf("refusal: %v", err)
	}
}
