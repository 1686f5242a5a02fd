package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/buildinfo"
)

// TestVersionFlag checks `polar-mcp --version` prints the build's version,
// commit and date, and exits 0 without serving anything.
func TestVersionFlag(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"--version"}, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
	info := buildinfo.Read()
	want := "polar-mcp " + info.Version + "\ncommit: " + info.Commit + "\ndate:   " + info.Date + "\n"
	if out.String() != want {
		t.Errorf("--version printed %q, want %q", out.String(), want)
	}
}
