package tools_test

import (
	"testing"

	"github.com/polar-mcp/polar-mcp/tools"
)

// BenchmarkToolDefinitions builds every tool's definition (input and
// output schemas included, taken from schemas_gen.go), as each process
// does once at start before stdio can answer initialize.
func BenchmarkToolDefinitions(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if len(tools.Definitions(false)) == 0 {
			b.Fatal("no tools")
		}
	}
}
