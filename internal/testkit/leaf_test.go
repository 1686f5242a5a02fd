package testkit

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigIsALeaf checks that package config, which every layer reads,
// pulls in nothing of this module and none of the heavy dependencies: a
// settings struct must not drag MCP, databases, Redis or telemetry into
// whatever imports it.
func TestConfigIsALeaf(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "./config")
	cmd.Dir = filepath.Join("..", "..")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps ./config: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 2 {
		t.Fatalf("go list -deps ./config listed %d packages", len(deps))
	}
	const module = "github.com/polar-mcp/polar-mcp/"
	forbidden := []string{"github.com/mark3labs/mcp-go", "github.com/jackc/pgx", "sqlite", "github.com/pressly/goose",
		"github.com/redis/", "github.com/go-redis/", "go.opentelemetry.io/", "github.com/prometheus/"}
	for _, d := range deps {
		if strings.HasPrefix(d, module) && d != module+"config" {
			t.Errorf("config depends on %s of this module", d)
		}
		for _, f := range forbidden {
			if strings.Contains(d, f) {
				t.Errorf("config depends on %s", d)
			}
		}
	}
}
