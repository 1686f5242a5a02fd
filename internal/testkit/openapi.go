package testkit

import (
	"os"
	"path/filepath"
	"testing"
)

// OpenAPI is Polar's published API description: $POLAR_OPENAPI, or
// shared/polar/openapi-2026-10.json in the nearest ancestor of the working
// directory that has it (the module's sibling "shared"). Without it the
// test is skipped, saying so.
func OpenAPI(t testing.TB) []byte {
	t.Helper()
	if p := os.Getenv("POLAR_OPENAPI"); p != "" {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "shared", "polar", "openapi-2026-10.json")); err == nil {
			return b
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("shared/polar/openapi-2026-10.json not found (set POLAR_OPENAPI)")
		}
		dir = parent
	}
}
