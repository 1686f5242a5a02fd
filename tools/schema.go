package tools

import (
	"encoding"
	"encoding/json"
	"log/slog"
	"math/big"
	"reflect"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
)

// property adjusts one input property's schema, for what struct tags
// cannot say (bounds, enums).
type property struct {
	name  string
	apply func(p map[string]any)
}

// between bounds an integer property. An optional one (a pointer field,
// which the generator types ["null", "integer"]) is declared a plain
// integer: leaving it out is how it is omitted, and strict validators
// (the MCP inspector's --strict) refuse a null type.
func between(name string, lo, hi int) property {
	return property{name, func(p map[string]any) {
		p["type"], p["minimum"], p["maximum"] = "integer", lo, hi
	}}
}

func oneOf(name string, values ...string) property {
	return property{name, func(p map[string]any) { p["enum"] = values }}
}

// input sets a tool's input schema from T's fields and tags, then applies
// props.
func input[T any](props ...property) mcp.ToolOption {
	return func(t *mcp.Tool) {
		mcp.WithInputSchema[T]()(t)
		if len(props) == 0 {
			return
		}
		var schema map[string]any
		if err := json.Unmarshal(t.RawInputSchema, &schema); err != nil {
			panic("tools: input schema: " + err.Error()) // only a programming error gets here
		}
		all, _ := schema["properties"].(map[string]any)
		for _, p := range props {
			prop, ok := all[p.name].(map[string]any)
			if !ok {
				panic("tools: input schema has no property " + p.name)
			}
			p.apply(prop)
		}
		raw, err := json.Marshal(schema)
		if err != nil {
			panic("tools: input schema: " + err.Error())
		}
		t.RawInputSchema = raw
	}
}

// output sets a tool's output schema from T, kept lean for the model's
// context (tools/list stays within 6,000 bytes per role): the top-level
// fields with their types, nested objects as just "object", and no
// descriptions, additionalProperties or required lists. What the fields
// mean lives in the tool description and the text answer; structured
// content always validates against it (the tests check every answer).
//
// The fields are read as mcp-go's generator (google/jsonschema-go) reads
// them, top level only: generating T's whole schema and stripping it cost
// every start about 10 ms of CPU and 1.5 MB of allocations for what is
// dropped (TestOutputSchemaIsTheGeneratorsStripped compares the two).
func output[T any]() mcp.ToolOption {
	return func(t *mcp.Tool) {
		props := map[string]any{}
		for _, f := range reflect.VisibleFields(reflect.TypeFor[T]()) {
			name, ok := jsonName(f)
			if !ok || f.Anonymous { // an embedded struct's fields are visible in its place
				continue
			}
			if schema := bareType(f.Type); schema != nil {
				props[name] = schema
			}
		}
		t.OutputSchema = mcp.ToolOutputSchema{Type: "object", Properties: props}
	}
}

// jsonName is the name encoding/json gives a struct field, and false for a
// field it leaves out.
func jsonName(f reflect.StructField) (string, bool) {
	if !f.IsExported() {
		return "", false
	}
	tag, ok := f.Tag.Lookup("json")
	if !ok {
		return f.Name, true
	}
	name, _, found := strings.Cut(tag, ",")
	if name == "-" && !found {
		return "", false
	}
	if name == "" {
		return f.Name, true
	}
	return name, true
}

// isStringType reports the types the generator describes as strings.
func isStringType(t reflect.Type) bool {
	switch t {
	case reflect.TypeFor[time.Time](), reflect.TypeFor[slog.Level](),
		reflect.TypeFor[big.Int](), reflect.TypeFor[big.Rat](), reflect.TypeFor[big.Float]():
		return true
	}
	return false
}

// bareType is a Go type's schema reduced to its JSON type: an array keeps
// its items' bare type (an object's as just "object"), a pointer is its
// element (an absent pointer is omitted, and strict validators refuse a
// null type), an interface any value (true). It is nil for a type JSON
// cannot carry, whose field the generator leaves out.
func bareType(t reflect.Type) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if isStringType(t) {
		return map[string]any{"type": "string"}
	}
	switch t.Kind() {
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Interface:
		return true
	case reflect.Struct:
		return map[string]any{"type": "object"}
	case reflect.Map:
		if t.Key().Kind() != reflect.String && !t.Key().Implements(reflect.TypeFor[encoding.TextMarshaler]()) || bareType(t.Elem()) == nil {
			return nil
		}
		return map[string]any{"type": "object"}
	case reflect.Slice, reflect.Array:
		items := bareType(t.Elem())
		if items == nil {
			return nil
		}
		return map[string]any{"type": "array", "items": items}
	}
	return nil
}

// withoutProperty returns a raw input schema without one property.
func withoutProperty(raw json.RawMessage, name string) (json.RawMessage, bool) {
	var schema map[string]any
	if raw == nil || json.Unmarshal(raw, &schema) != nil {
		return nil, false
	}
	props, _ := schema["properties"].(map[string]any)
	if _, ok := props[name]; !ok {
		return nil, false
	}
	delete(props, name)
	if len(props) == 0 {
		delete(schema, "properties")
	}
	if req, ok := schema["required"].([]any); ok {
		kept := req[:0]
		for _, r := range req {
			if r != name {
				kept = append(kept, r)
			}
		}
		if schema["required"] = kept; len(kept) == 0 {
			delete(schema, "required")
		}
	}
	out, err := json.Marshal(schema)
	return out, err == nil
}
