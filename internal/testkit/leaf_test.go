package testkit

import (
	"os/exec"
	"path/filepath"
	"slices"
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

// binaryDeps is `go list -deps ./cmd/polar-mcp`: every package the
// binary links.
func binaryDeps(t *testing.T) []string {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "./cmd/polar-mcp")
	cmd.Dir = filepath.Join("..", "..")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps ./cmd/polar-mcp: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/polar-mcp/polar-mcp/internal/observe") {
		t.Fatalf("go list -deps ./cmd/polar-mcp does not list the metrics package (%d packages): is the list right?", len(deps))
	}
	return deps
}

// TestBinaryLinksNothingHeavyItDoesNotNeed checks that the server binary
// links none of the packages that made every start slower (issue 17),
// whether or not what they serve is configured: a linked package runs its
// init at each start.
func TestBinaryLinksNothingHeavyItDoesNotNeed(t *testing.T) {
	heavy := []struct{ prefix, why string }{
		// Its init built a default registry with Go and process
		// collectors, and it linked the protobuf runtime: about 5 ms.
		{"github.com/prometheus/", "internal/observe writes the scrape itself"},
		// Their init read cgroup files, formatted about 1,000 bucket
		// strings and described every runtime metric: about 1.3 ms.
		{"github.com/VictoriaMetrics/", "internal/observe writes the scrape itself"},
		{"github.com/valyala/", "internal/observe writes the scrape itself"},
		{"runtime/metrics", "the go_* series come from runtime.ReadMemStats and the environment"},
		// otlptracehttp linked gRPC, opentelemetry-proto and the protobuf
		// runtime: 54 packages, about 2.7 ms of init.
		{"google.golang.org/grpc", "internal/observe's own OTLP/HTTP exporter"},
		{"go.opentelemetry.io/otel/exporters/", "internal/observe's own OTLP/HTTP exporter"},
		{"go.opentelemetry.io/proto/", "internal/observe encodes OTLP itself"},
		{"google.golang.org/protobuf/", "internal/observe encodes OTLP itself"},
		// go/format and go/parser are for go generate ./tools only.
		{"go/", "tools/internal/schemagen formats tools/schemas_gen.go, not tools"},
	}
	for _, d := range binaryDeps(t) {
		for _, h := range heavy {
			if strings.HasPrefix(d, h.prefix) {
				t.Errorf("the binary links %s (%s)", d, h.why)
			}
		}
	}
}
