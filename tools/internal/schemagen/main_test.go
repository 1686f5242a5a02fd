package main

import (
	"bytes"
	"os"
	"testing"
)

// TestGeneratedSchemasAreCurrent fails when tools/schemas_gen.go is not
// what go generate ./tools writes now: every tool's schemas built by the
// reflection in tools/schema.go and tools/output_schema.go.
func TestGeneratedSchemasAreCurrent(t *testing.T) {
	want, err := source()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../schemas_gen.go")
	if err != nil {
		t.Fatalf("%v: run go generate ./tools", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("tools/schemas_gen.go differs from the schemas the tools' types and options build: run go generate ./tools")
	}
}
