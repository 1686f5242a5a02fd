package tools

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

//go:generate go run ./internal/schemagen

// toolSchemas are one tool's schemas as JSON: its input schema (empty
// when the tool keeps mcp.NewTool's empty one), its output schema, and,
// for a tool customers see without the email argument, the input schema
// they see.
type toolSchemas struct {
	input, output, customerInput string
}

// schemas gives a tool its input and output schemas. build are the
// options that make them by reflection (input, output): they are the
// source of truth, but run only when go generate ./tools writes
// schemas_gen.go (and in the test that keeps it current); at start a tool
// takes what that file holds, with no reflection.
func schemas(deps Deps, build ...mcp.ToolOption) mcp.ToolOption {
	return func(t *mcp.Tool) {
		if deps.reflectSchemas {
			for _, b := range build {
				b(t)
			}
			return
		}
		s, ok := generatedSchemas(t.Name)
		if !ok {
			panic("tools: no generated schemas for " + t.Name + ": run go generate ./tools") // a programming error
		}
		if s.input != "" {
			t.InputSchema.Type = "" // as mcp.WithInputSchema leaves it
			t.RawInputSchema = json.RawMessage(s.input)
		}
		t.RawOutputSchema = json.RawMessage(s.output)
	}
}

// reflectedSchemas are t's schemas as built by reflection, for
// schemas_gen.go.
func reflectedSchemas(t mcp.Tool) (toolSchemas, error) {
	s := toolSchemas{input: string(t.RawInputSchema)}
	if t.OutputSchema.Type != "" {
		out, err := json.Marshal(t.OutputSchema)
		if err != nil {
			return s, fmt.Errorf("%s: output schema: %w", t.Name, err)
		}
		s.output = string(out)
	}
	if !agentOnly(t.Name) {
		if in, ok := withoutProperty(t.RawInputSchema, "email"); ok {
			s.customerInput = string(in)
		}
	}
	return s, nil
}

// NamedSchemas are one tool's schemas as JSON, built by reflection: what
// go generate ./tools (tools/internal/schemagen) writes into
// schemas_gen.go for that tool.
type NamedSchemas struct {
	Name                         string
	Input, Output, CustomerInput string
}

// ReflectedSchemas are every tool's schemas built by reflection, sorted by
// tool name.
func ReflectedSchemas() ([]NamedSchemas, error) {
	list := All(Deps{reflectSchemas: true}, false)
	slices.SortFunc(list, func(a, b server.ServerTool) int { return strings.Compare(a.Tool.Name, b.Tool.Name) })
	out := make([]NamedSchemas, 0, len(list))
	for _, st := range list {
		s, err := reflectedSchemas(st.Tool)
		if err != nil {
			return nil, err
		}
		out = append(out, NamedSchemas{Name: st.Tool.Name, Input: s.input, Output: s.output, CustomerInput: s.customerInput})
	}
	return out, nil
}

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
