package tools

import (
	"encoding/json"
	"log/slog"
	"math/big"
	"reflect"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
)

// textKey is a map key encoding/json writes as text.
type textKey int

func (k textKey) MarshalText() ([]byte, error) { return []byte("k"), nil }

// kinds holds one field of every kind an output can carry, and the
// field shapes whose names encoding/json decides (embedding, tags).
type kinds struct {
	Subject             // embedded: its fields are top level
	*ProductView        // embedded pointer
	Email        string `json:"email"` // shadows Subject's by json name
	Plain        string // no tag: the Go name
	Tagless      int    `json:",omitempty"`
	Skipped      string `json:"-"`
	//lint:ignore U1000 never used: encoding/json and the generator leave it out
	unexported string
	Described  string             `json:"described" jsonschema:"a description"`
	Bool       *bool              `json:"bool"`
	Int8       int8               `json:"int8"`
	Uint16     uint16             `json:"uint16"`
	Uint       *uint              `json:"uint"`
	Float      float32            `json:"float"`
	Any        any                `json:"any"`
	Raw        json.RawMessage    `json:"raw"`
	When       time.Time          `json:"when"`
	WhenPtr    *time.Time         `json:"when_ptr"`
	Level      slog.Level         `json:"level"`
	Big        *big.Int           `json:"big"`
	Rat        big.Rat            `json:"rat"`
	Float64s   []float64          `json:"float64s"`
	Pointers   []*string          `json:"pointers"`
	Nested     [][]OrderView      `json:"nested"`
	Fixed      [2]int             `json:"fixed"`
	Views      []*BenefitView     `json:"views"`
	Anys       []any              `json:"anys"`
	Map        map[string]int     `json:"map"`
	TextMap    map[textKey]string `json:"text_map"`
	IntMap     map[int]string     `json:"int_map"` // not JSON: left out
	Chan       chan int           `json:"chan"`    // not JSON: left out
	Funcs      []func()           `json:"funcs"`   // not JSON: left out
	View       *OrderView         `json:"view"`
}

// strip is how output schemas were made before output read T's top level
// itself: mcp-go generated T's whole schema and each property was reduced
// to its type.
func strip(schema map[string]any) {
	for k := range schema {
		if k != "type" && k != "items" && k != "format" {
			delete(schema, k)
		}
	}
	if t, ok := schema["type"].([]any); ok && len(t) == 2 && t[0] == "null" {
		schema["type"] = t[1]
	}
	if items, ok := schema["items"].(map[string]any); ok {
		strip(items)
		if items["type"] == "object" {
			schema["items"] = map[string]any{"type": "object"}
		}
	}
}

func generatedAndStripped[T any](t *testing.T) []byte {
	t.Helper()
	var tool mcp.Tool
	mcp.WithOutputSchema[T]()(&tool)
	for _, p := range tool.OutputSchema.Properties {
		if m, ok := p.(map[string]any); ok {
			strip(m)
		}
	}
	tool.OutputSchema.Required = nil
	tool.OutputSchema.AdditionalProperties = nil
	b, err := json.Marshal(tool.OutputSchema)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func ours[T any](t *testing.T) []byte {
	t.Helper()
	var tool mcp.Tool
	output[T]()(&tool)
	b, err := json.Marshal(tool.OutputSchema)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestOutputSchemaIsTheGeneratorsStripped checks that output[T] gives the
// schema mcp-go's generator gives, stripped to the top level's types, for
// every tool's output and for a struct with every kind of field.
func TestOutputSchemaIsTheGeneratorsStripped(t *testing.T) {
	cases := map[string][2][]byte{
		"BenefitsOutput":           {ours[BenefitsOutput](t), generatedAndStripped[BenefitsOutput](t)},
		"FindCustomersOutput":      {ours[FindCustomersOutput](t), generatedAndStripped[FindCustomersOutput](t)},
		"InsightsOutput":           {ours[InsightsOutput](t), generatedAndStripped[InsightsOutput](t)},
		"OrderHistoryOutput":       {ours[OrderHistoryOutput](t), generatedAndStripped[OrderHistoryOutput](t)},
		"PortalOutput":             {ours[PortalOutput](t), generatedAndStripped[PortalOutput](t)},
		"ProductsOutput":           {ours[ProductsOutput](t), generatedAndStripped[ProductsOutput](t)},
		"SubscriptionStatusOutput": {ours[SubscriptionStatusOutput](t), generatedAndStripped[SubscriptionStatusOutput](t)},
		"kinds":                    {ours[kinds](t), generatedAndStripped[kinds](t)},
	}
	for name, c := range cases {
		if string(c[0]) != string(c[1]) {
			t.Errorf("%s:\n got %s\nwant %s", name, c[0], c[1])
		}
	}
	var props map[string]any
	if err := json.Unmarshal(cases["kinds"][0], &struct {
		Properties *map[string]any `json:"properties"`
	}{&props}); err != nil {
		t.Fatal(err)
	}
	// The fields that must be there and must not, so that the comparison
	// above is not between two empty schemas.
	for _, name := range []string{"customer_found", "email", "Plain", "Tagless", "bool", "when", "nested", "text_map", "view"} {
		if _, ok := props[name]; !ok {
			t.Errorf("kinds: no property %q in %v", name, reflect.ValueOf(props).MapKeys())
		}
	}
	for _, name := range []string{"Skipped", "unexported", "int_map", "chan", "funcs"} {
		if _, ok := props[name]; ok {
			t.Errorf("kinds: property %q should be left out", name)
		}
	}
}
