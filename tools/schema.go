package tools

import (
	"encoding/json"
	"reflect"

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

// output sets a tool's output schema from T. Every object declares its
// properties with their types and the fields always present (required),
// every array its items' shape, nested ones too, so clients can rely on
// them. Kept lean for the model's context: no descriptions, no
// additionalProperties (an answer may gain fields), one type per field (a
// nil slice or pointer is omitted, never null), and an object shape used
// more than once in a schema is declared once under $defs. What the
// fields mean lives in the tool description and the text answer;
// structured content always validates against it (the tests check every
// answer).
func output[T any]() mcp.ToolOption {
	return func(t *mcp.Tool) {
		names := map[string]string{}
		root := (&shaper{names: names, path: map[reflect.Type]bool{}, keys: map[uintptr]string{}}).shape(reflect.TypeFor[T]())
		props, _ := root["properties"].(map[string]any)
		defs := share(root, names)
		required, _ := root["required"].([]string)
		t.OutputSchema = mcp.ToolOutputSchema{Type: "object", Properties: props, Required: required, Defs: defs}
	}
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
