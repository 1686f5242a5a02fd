package tools_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/tools"
)

// A failed call's WARN line carries the request id the observer set, so
// that it can be matched with the call's other lines.
func TestFailureLogCarriesTheRequestID(t *testing.T) {
	var buf bytes.Buffer
	e := newEnv(t, envOptions{token: "polar_oat_not_the_right_token", logger: slog.New(slog.NewTextHandler(&buf, nil))})
	ctx := caller.With(context.Background(), *customer("alice@example.com"))
	ctx = tools.WithRecord(ctx, &tools.Record{RequestID: "req-4f2a"})
	req := mcp.CallToolRequest{}
	req.Params.Name = tools.NameSubscriptionStatus
	res, err := e.srv.GetTool(tools.NameSubscriptionStatus).Handler(ctx, req)
	if err != nil || !res.IsError {
		t.Fatalf("want a failed call: %v %+v", err, res)
	}
	line := buf.String()
	if !strings.Contains(line, "tool call failed") || !strings.Contains(line, "request_id=req-4f2a") {
		t.Errorf("failure log line: %q", line)
	}
}
