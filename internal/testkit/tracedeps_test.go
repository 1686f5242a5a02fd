package testkit

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBinaryLinksNoGRPCNorOTLPExporter checks that the server binary
// exports traces with internal/observe's own OTLP/HTTP exporter: no
// gRPC and no OpenTelemetry exporter module, whose package
// initialisation and size slowed every start (issue 17), even with
// tracing off.
func TestBinaryLinksNoGRPCNorOTLPExporter(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "./cmd/polar-mcp")
	cmd.Dir = filepath.Join("..", "..")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps ./cmd/polar-mcp: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 100 {
		t.Fatalf("go list -deps ./cmd/polar-mcp listed %d packages", len(deps))
	}
	for _, d := range deps {
		if strings.HasPrefix(d, "google.golang.org/grpc") || strings.HasPrefix(d, "go.opentelemetry.io/otel/exporters/") ||
			strings.HasPrefix(d, "go.opentelemetry.io/proto/") {
			t.Errorf("polar-mcp links %s", d)
		}
	}
}
