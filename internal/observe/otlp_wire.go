package observe

import (
	"encoding/binary"
	"math/bits"
)

// The protobuf wire format, as much of it as OTLP export needs: the
// encoder writes tags, varints, fixed32/64 and length-delimited fields;
// the response reader walks fields. Hand-written rather than
// google.golang.org/protobuf/encoding/protowire, whose dependency
// internal/detrand opens and hashes the executable at every start.

// wireType is a protobuf wire type.
type wireType int8

const (
	wireVarint  wireType = 0
	wireFixed64 wireType = 1
	wireBytes   wireType = 2
	wireFixed32 wireType = 5
)

// appendTag appends the key of field num of type typ.
func appendTag(b []byte, num int, typ wireType) []byte {
	return appendVarintRaw(b, uint64(num)<<3|uint64(typ))
}

// appendVarintRaw appends v as a base-128 varint.
func appendVarintRaw(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// sizeVarint is the length of v as a varint.
func sizeVarint(v uint64) int { return (bits.Len64(v|1) + 6) / 7 }

func appendFixed64Raw(b []byte, v uint64) []byte { return binary.LittleEndian.AppendUint64(b, v) }

func appendFixed32Raw(b []byte, v uint32) []byte { return binary.LittleEndian.AppendUint32(b, v) }

// appendBytesRaw appends v with its length.
func appendBytesRaw[T ~string | ~[]byte](b []byte, v T) []byte {
	return append(appendVarintRaw(b, uint64(len(v))), v...)
}

// consumeVarint decodes a varint at the start of b: its value and
// length, or a length of -1 when b does not start with one.
func consumeVarint(b []byte) (uint64, int) {
	var v uint64
	for i := 0; i < len(b) && i < 10; i++ {
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i] < 0x80 {
			return v, i + 1
		}
	}
	return 0, -1
}

// nextField splits the first field off message b: its number, type,
// value (a varint's value in v, a length-delimited field's bytes in
// data) and the rest of b. ok is false when b is malformed or holds a
// group.
func nextField(b []byte) (num int, typ wireType, v uint64, data, rest []byte, ok bool) {
	key, n := consumeVarint(b)
	if n < 0 || key>>3 == 0 || key>>3 > 1<<29-1 {
		return 0, 0, 0, nil, nil, false
	}
	num, typ, b = int(key>>3), wireType(key&7), b[n:]
	switch typ {
	case wireVarint:
		if v, n = consumeVarint(b); n < 0 {
			return 0, 0, 0, nil, nil, false
		}
		return num, typ, v, nil, b[n:], true
	case wireFixed64:
		if len(b) < 8 {
			return 0, 0, 0, nil, nil, false
		}
		return num, typ, binary.LittleEndian.Uint64(b), nil, b[8:], true
	case wireFixed32:
		if len(b) < 4 {
			return 0, 0, 0, nil, nil, false
		}
		return num, typ, uint64(binary.LittleEndian.Uint32(b)), nil, b[4:], true
	case wireBytes:
		l, n := consumeVarint(b)
		if n < 0 || l > uint64(len(b)-n) {
			return 0, 0, 0, nil, nil, false
		}
		return num, typ, 0, b[n : n+int(l)], b[n+int(l):], true
	}
	return 0, 0, 0, nil, nil, false
}
