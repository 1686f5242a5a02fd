package tools

import (
	"encoding/json"

	"github.com/mark3labs/mcp-go/mcp"
)

// property adjusts one input property's schema, for what struct tags
// cannot say (bounds, enums).
type property struct {
	name  string
	apply func(p map[string]any)
}

func between(name string, lo, hi int) property {
	return property{name, func(p map[string]any) { p["minimum"], p["maximum"] = lo, hi }}
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

// inputProperties decodes a tool's input schema for the docs.
func inputProperties(t mcp.Tool) (props map[string]any, required []string) {
	if t.RawInputSchema == nil {
		return t.InputSchema.Properties, t.InputSchema.Required
	}
	var s struct {
		Properties map[string]any `json:"properties"`
		Required   []string       `json:"required"`
	}
	_ = json.Unmarshal(t.RawInputSchema, &s)
	return s.Properties, s.Required
}
