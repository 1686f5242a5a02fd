package tools

import (
	"encoding/json"
	"log/slog"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
)

// generatedOutput is how output built a tool's output schema before
// shaper: mcp-go's WithOutputSchema has google/jsonschema-go generate T's
// whole schema, which lean then reduces. Kept here only to prove that
// output, which no longer calls the generator at start, builds the same
// schema.
func generatedOutput[T any]() mcp.ToolOption {
	return func(t *mcp.Tool) {
		mcp.WithOutputSchema[T]()(t)
		root := map[string]any{"type": "object", "properties": t.OutputSchema.Properties}
		if len(t.OutputSchema.Required) > 0 {
			root["required"] = t.OutputSchema.Required
		}
		names := map[string]string{}
		lean(root, reflect.TypeFor[T](), names)
		defs := generatedShare(root, names)
		t.OutputSchema.Properties = root["properties"].(map[string]any)
		t.OutputSchema.Required, _ = root["required"].([]string)
		t.OutputSchema.AdditionalProperties = nil
		t.OutputSchema.Defs = defs
	}
}

// lean reduces schema, generated for typ, to what clients rely on: types,
// properties, the fields always present and the items of arrays, at every
// depth. A field reached through an embedded pointer (InsightsOutput's
// *SubscriptionView) is absent when the pointer is nil, so it is not
// required whatever the generator says. names records the Go type of
// each struct's schema, keyed by its JSON, for share.
func lean(schema map[string]any, typ reflect.Type, names map[string]string) {
	for k := range schema {
		switch k {
		case "type", "format", "properties", "required", "items":
		default:
			delete(schema, k)
		}
	}
	if t, ok := schema["type"].([]any); ok && len(t) == 2 && t[0] == "null" {
		schema["type"] = t[1]
	}
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if items, ok := schema["items"].(map[string]any); ok {
		lean(items, typ.Elem(), names)
	}
	props, _ := schema["properties"].(map[string]any)
	if props == nil {
		return
	}
	fields := jsonFields(typ, false, map[string]field{})
	var required []string
	for _, r := range stringsOf(schema["required"]) {
		if f, ok := fields[r]; ok && !f.optional {
			required = append(required, r)
		}
	}
	if delete(schema, "required"); len(required) > 0 {
		schema["required"] = required
	}
	for name, p := range props {
		f, ok := fields[name]
		if !ok {
			panic("tools: output schema property " + name + " has no field in " + typ.String()) // a programming error
		}
		lean(p.(map[string]any), f.typ, names)
	}
	if typ.Name() != "" {
		names[jsonKey(schema)] = strings.TrimSuffix(typ.Name(), "View")
	}
}

// field is one JSON field of a struct: its Go type, and whether it is
// reached through an embedded pointer.
type field struct {
	typ      reflect.Type
	optional bool
}

// jsonFields adds typ's JSON fields to into, as encoding/json names
// them: a field of an embedded struct is promoted unless a shallower one
// has its name.
func jsonFields(typ reflect.Type, optional bool, into map[string]field) map[string]field {
	var embedded []reflect.StructField
	for i := range typ.NumField() {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
		case f.Anonymous && name == "":
			embedded = append(embedded, f)
		case f.IsExported():
			if name == "" {
				name = f.Name
			}
			into[name] = field{f.Type, optional}
		}
	}
	for _, f := range embedded {
		t, opt := f.Type, optional
		if t.Kind() == reflect.Pointer {
			t, opt = t.Elem(), true
		}
		if t.Kind() != reflect.Struct {
			continue
		}
		for name, sub := range jsonFields(t, opt, map[string]field{}) {
			if _, shadowed := into[name]; !shadowed {
				into[name] = sub
			}
		}
	}
	return into
}

func stringsOf(v any) []string {
	switch v := v.(type) {
	case []string:
		return v
	case []any:
		out := make([]string, 0, len(v))
		for _, s := range v {
			if s, ok := s.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// shapeWord and shapeCard are named types used more than once in
// kinds, so that their schemas go under $defs.
type shapeWord struct {
	Text     string    `json:"text"`
	Language string    `json:"language,omitempty"`
	Seen     time.Time `json:"seen"`
}

type shapeCard struct {
	Title  string      `json:"title"`
	Words  []shapeWord `json:"words"`
	Rating float64     `json:"rating,omitempty"`
	Flags  []bool      `json:"flags,omitzero"`
}

type shapeBase struct {
	ID      string `json:"id"`
	Created int64  `json:"created,omitempty"`
	Hidden  string `json:"hidden,omitempty"`
}

type shapeExtra struct {
	Note  string      `json:"note"`
	Inner *shapeInner `json:"inner"`
	shapeDeep
}

type shapeInner struct {
	Level int `json:"level"`
}

type shapeDeep struct {
	Depth uint8 `json:"depth"`
}

//lint:ignore U1000 embedded only to show that an embedded non-struct is left out
type shapeLabel string

type shapeList []shapeCard

// share declares once, under $defs, each object shape root uses more
// than once where that makes the schema shorter, largest first, and
// refers to it with $ref. names are the shapes' names (lean's), as output shared them before keyOf.
func generatedShare(root map[string]any, names map[string]string) map[string]any {
	defs := map[string]any{}
	for {
		counts := map[string]int{}
		eachShapeGenerated(root, defs, func(n map[string]any) map[string]any {
			counts[jsonKey(n)]++
			return n
		})
		best := ""
		for k, c := range counts {
			name := names[k]
			ref := len(`{"$ref":"#/$defs/` + name + `"}`)
			saves := (c-1)*len(k) - c*ref - len(`"":,`+name)
			if _, taken := defs[name]; name == "" || taken || saves <= 0 {
				continue
			}
			if len(k) > len(best) || len(k) == len(best) && k < best {
				best = k
			}
		}
		if best == "" {
			break
		}
		name := names[best]
		ref := map[string]any{"$ref": "#/$defs/" + name}
		eachShapeGenerated(root, defs, func(n map[string]any) map[string]any {
			if jsonKey(n) != best {
				return n
			}
			defs[name] = n
			return ref
		})
	}
	if len(defs) == 0 {
		return nil
	}
	return defs
}

// eachShape calls f on every schema below root and below each of defs,
// outermost first, and puts what f returns in its place.
func eachShapeGenerated(root map[string]any, defs map[string]any, f func(map[string]any) map[string]any) {
	var walk func(n map[string]any)
	walk = func(n map[string]any) {
		if props, ok := n["properties"].(map[string]any); ok {
			for name, p := range props {
				child := f(p.(map[string]any))
				props[name] = child
				walk(child)
			}
		}
		if items, ok := n["items"].(map[string]any); ok {
			child := f(items)
			n["items"] = child
			walk(child)
		}
	}
	walk(root)
	for _, d := range defs {
		walk(d.(map[string]any))
	}
}

// shapeAny holds interfaces, which the generator declares as true (any
// value), which lean could not reduce: output declares them {}.
type shapeAny struct {
	Any  any            `json:"any"`
	Anys []any          `json:"anys"`
	Map  map[string]any `json:"map,omitempty"`
}

// shapeKinds has a field of every kind an output type may hold.
type shapeKinds struct {
	shapeBase
	*shapeExtra
	//lint:ignore U1000 an embedded non-struct is left out
	shapeLabel
	Hidden  string `json:"hidden"` // shadows shapeBase's
	Plain   string // no tag: named as the field
	Renamed int    `json:",omitempty"`
	Skipped string `json:"-"`
	//lint:ignore U1000 unexported: left out
	private   string
	Count     uint32                    `json:"count"`
	Small     int8                      `json:"small"`
	Ratio     float32                   `json:"ratio,omitempty"`
	OK        bool                      `json:"ok"`
	When      time.Time                 `json:"when"`
	Maybe     *time.Time                `json:"maybe,omitempty"`
	Level     slog.Level                `json:"level"`
	Big       *big.Int                  `json:"big"`
	Pointer   *int                      `json:"pointer"`
	Twice     **shapeInner              `json:"twice"`
	Map       map[string]shapeWord      `json:"map"`
	MapList   map[string][]string       `json:"map_list,omitempty"`
	Card      shapeCard                 `json:"card"`
	Cards     []shapeCard               `json:"cards"`
	Grid      [][]shapeWord             `json:"grid"`
	Pair      [2]int                    `json:"pair"`
	Bytes     []byte                    `json:"bytes"`
	List      shapeList                 `json:"list,omitempty"`
	ByCard    map[string]*shapeCard     `json:"by_card"`
	Func      func()                    `json:"func"`
	Chan      chan int                  `json:"chan"`
	IntKeys   map[int]string            `json:"int_keys"`
	Funcs     []func()                  `json:"funcs"`
	Anonymous struct{ A, B string }     `json:"anonymous"`
	Empty     struct{}                  `json:"empty"`
	Closed    struct{ x int }           `json:"closed"`
	Nested    map[string]map[string]int `json:"nested"`
}

// toolOutputSchema is a tool's output schema as it marshals: the raw one
// the tools take from schemas_gen.go, or the typed one output builds.
func toolOutputSchema(tl mcp.Tool) any {
	if tl.RawOutputSchema != nil {
		return tl.RawOutputSchema
	}
	return tl.OutputSchema
}

func schemaJSON(t *testing.T, opt mcp.ToolOption) string {
	t.Helper()
	tool := mcp.NewTool("x", opt)
	b, err := json.MarshalIndent(tool.OutputSchema, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestOutputMatchesGeneratedSchema proves output (reflection, no
// generator) builds byte for byte the schema the generator and lean
// built, for every tool's output type and for a type with a field of
// every kind.
func TestOutputMatchesGeneratedSchema(t *testing.T) {
	cases := map[string][2]mcp.ToolOption{
		"BenefitsOutput":           {output[BenefitsOutput](), generatedOutput[BenefitsOutput]()},
		"FindCustomersOutput":      {output[FindCustomersOutput](), generatedOutput[FindCustomersOutput]()},
		"InsightsOutput":           {output[InsightsOutput](), generatedOutput[InsightsOutput]()},
		"OrderHistoryOutput":       {output[OrderHistoryOutput](), generatedOutput[OrderHistoryOutput]()},
		"PortalOutput":             {output[PortalOutput](), generatedOutput[PortalOutput]()},
		"ProductsOutput":           {output[ProductsOutput](), generatedOutput[ProductsOutput]()},
		"SubscriptionStatusOutput": {output[SubscriptionStatusOutput](), generatedOutput[SubscriptionStatusOutput]()},
		"shapeKinds":               {output[shapeKinds](), generatedOutput[shapeKinds]()},
	}
	covered := map[string]bool{}
	for name, c := range cases {
		got, want := schemaJSON(t, c[0]), schemaJSON(t, c[1])
		if got != want {
			t.Errorf("%s: output builds\n%s\nthe generator and lean built\n%s", name, got, want)
		}
		covered[got] = true
	}
	// Every tool's output type is among the cases.
	for _, st := range All(Deps{}, false) {
		b, err := json.MarshalIndent(toolOutputSchema(st.Tool), "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if !covered[string(b)] {
			t.Errorf("%s: its output type is not compared with the generator's; add it to the cases", st.Tool.Name)
		}
	}
	// The synthetic type exercises what it claims to.
	kinds := schemaJSON(t, output[shapeKinds]())
	for _, want := range []string{`"$ref": "#/$defs/shapeCard"`, `"$ref": "#/$defs/shapeWord"`, `"maybe"`, `"depth"`} {
		if !strings.Contains(kinds, want) {
			t.Errorf("shapeKinds' schema lacks %s:\n%s", want, kinds)
		}
	}
	for _, absent := range []string{`"func"`, `"chan"`, `"int_keys"`, `"private"`, `"Skipped"`, `"description"`, `"null"`, `"additionalProperties"`} {
		if strings.Contains(kinds, absent) {
			t.Errorf("shapeKinds' schema has %s:\n%s", absent, kinds)
		}
	}
}

func TestOutputDeclaresInterfacesAsAnyValue(t *testing.T) {
	got := schemaJSON(t, output[shapeAny]())
	want := `{
 "properties": {
  "any": {},
  "anys": {
   "items": {},
   "type": "array"
  },
  "map": {
   "type": "object"
  }
 },
 "required": [
  "any",
  "anys"
 ],
 "type": "object"
}`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
