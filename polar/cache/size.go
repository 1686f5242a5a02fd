package cache

import (
	"reflect"
	"time"
)

var timeType = reflect.TypeFor[time.Time]()

// memSize estimates the memory v holds: its own size plus the strings,
// slices and pointed-to values it references. Shared data (a time.Time's
// location) is not counted. It is an estimate for the cache's budget, not
// an exact accounting.
func memSize(v any) int64 {
	if v == nil {
		return 0
	}
	rv := reflect.ValueOf(v)
	return int64(rv.Type().Size()) + heapSize(rv)
}

// heapSize is the memory v references beyond its own size.
func heapSize(v reflect.Value) int64 {
	switch v.Kind() {
	case reflect.String:
		return int64(v.Len())
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return 0
		}
		e := v.Elem()
		return int64(e.Type().Size()) + heapSize(e)
	case reflect.Slice:
		if v.IsNil() {
			return 0
		}
		n := int64(v.Cap()) * int64(v.Type().Elem().Size())
		if !flat(v.Type().Elem()) {
			for i := range v.Len() {
				n += heapSize(v.Index(i))
			}
		}
		return n
	case reflect.Array:
		var n int64
		if !flat(v.Type().Elem()) {
			for i := range v.Len() {
				n += heapSize(v.Index(i))
			}
		}
		return n
	case reflect.Struct:
		if v.Type() == timeType {
			return 0
		}
		var n int64
		for i := range v.NumField() {
			n += heapSize(v.Field(i))
		}
		return n
	case reflect.Map:
		// Rough: keys and values, plus a word of bucket overhead each.
		n := int64(v.Len()) * int64(v.Type().Key().Size()+v.Type().Elem().Size()+8)
		for it := v.MapRange(); it.Next(); {
			n += heapSize(it.Key()) + heapSize(it.Value())
		}
		return n
	default:
		return 0
	}
}

// flat reports whether values of t reference no other memory.
func flat(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return true
	default:
		return false
	}
}
