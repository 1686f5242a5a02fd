package tools

import (
	"encoding/json"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
)

// TestToolsTakeTheGeneratedSchemas checks, in both modes (read-only
// too) and for both roles, that every tool as a start builds it (from
// schemas_gen.go) marshals byte for byte as the tool built by
// reflection: the agent's view, and the customer's view without the
// email argument.
func TestToolsTakeTheGeneratedSchemas(t *testing.T) {
	for _, readOnly := range []bool{false, true} {
		built, reflected := All(Deps{}, readOnly), All(Deps{reflectSchemas: true}, readOnly)
		if len(built) != len(reflected) {
			t.Fatalf("readOnly %v: %d tools, %d built by reflection", readOnly, len(built), len(reflected))
		}
		views := customerViews(built)
		for i, st := range built {
			want := reflected[i].Tool
			if got := marshalTool(t, st.Tool); got != marshalTool(t, want) {
				t.Errorf("readOnly %v: %s is\n%s\nby reflection\n%s", readOnly, st.Tool.Name, got, marshalTool(t, want))
			}
			view, shown := views[st.Tool.Name]
			in, ok := withoutProperty(want.RawInputSchema, "email")
			if agentOnly(want.Name) || !ok {
				if shown {
					t.Errorf("readOnly %v: %s has a customer view; by reflection it has none", readOnly, st.Tool.Name)
				}
				continue
			}
			want.RawInputSchema = in
			if !shown {
				t.Errorf("readOnly %v: %s has no customer view; by reflection it has one", readOnly, st.Tool.Name)
			} else if got := marshalTool(t, view); got != marshalTool(t, want) {
				t.Errorf("readOnly %v: %s's customer view is\n%s\nby reflection\n%s", readOnly, st.Tool.Name, got, marshalTool(t, want))
			}
		}
	}
}

func marshalTool(t *testing.T, tl mcp.Tool) string {
	t.Helper()
	b, err := json.Marshal(tl)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// BenchmarkToolDefinitionsByReflection builds every tool's definition as
// go generate ./tools does, by reflection: what each start cost before
// the tools took schemas_gen.go (BenchmarkToolDefinitions is what it
// costs now).
func BenchmarkToolDefinitionsByReflection(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if len(All(Deps{reflectSchemas: true}, false)) == 0 {
			b.Fatal("no tools")
		}
	}
}
