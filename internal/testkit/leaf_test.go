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

// TestBinaryLinksNoPrometheusClient checks that the binary serves its
// metrics without the Prometheus client library: its package init built
// a default registry with the Go and process collectors and linked the
// protobuf runtime, about 5 ms of every start, metrics listener or not.
// (Protobuf also came with the gRPC trace exporter; only the Prometheus
// packages are asserted here.)
func TestBinaryLinksNoPrometheusClient(t *testing.T) {
	for _, d := range binaryDeps(t) {
		if strings.HasPrefix(d, "github.com/prometheus/") {
			t.Errorf("the binary links %s", d)
		}
	}
}

// TestBinaryLinksNoMetricsLibrary checks that the binary writes its
// scrape itself: VictoriaMetrics/metrics' package init (cgroup files,
// about 1,000 bucket strings) and runtime/metrics' (which only it and
// the runtime series needed) cost about 1.3 ms of every start, metrics
// listener or not.
func TestBinaryLinksNoMetricsLibrary(t *testing.T) {
	for _, d := range binaryDeps(t) {
		if d == "runtime/metrics" || strings.HasPrefix(d, "github.com/VictoriaMetrics/") || strings.HasPrefix(d, "github.com/valyala/") {
			t.Errorf("the binary links %s", d)
		}
	}
}
