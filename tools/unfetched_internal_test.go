package tools

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEveryRefusalNamesItsPart: every operation the Polar adapter sends
// (each op id in package polar, found in its source) has a part a
// budget refusal names, so a busy answer always says what could not be
// fetched.
func TestEveryRefusalNamesItsPart(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "polar", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("polar sources: %v, %v", files, err)
	}
	opID := regexp.MustCompile(`(?:op\{id:|o\.id =)\s*"([a-z_:-]+)"`)
	seen := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range opID.FindAllStringSubmatch(string(src), -1) {
			seen[m[1]] = true
		}
	}
	if len(seen) < 15 {
		t.Fatalf("found only %d operations in package polar: %v", len(seen), seen)
	}
	for op := range seen {
		if unfetched(op) == "" {
			t.Errorf("a refusal of %s names nothing that could not be fetched", op)
		}
	}
}
