package tools_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/tools"
)

// A failed call's WARN line carries the request id the observer set, so
// that it can be matched with the call's other lines.
func TestFailureLogCarriesTheRequestID(t *testing.T) {
	var buf bytes.Buffer
	e := newEnv(t, envOptions{token: "polar_oat_not_the_right_token", logger: slog.New(slog.NewTextHandler(&buf, nil)),
		observer: requestIDObserver{id: "req-4f2a"}})
	ctx := tools.WithClient(caller.With(context.Background(), *customer("alice@example.com")), e.client)
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

// requestIDObserver is an observer that gives every call request id id
// and observes nothing else.
type requestIDObserver struct{ id string }

func (requestIDObserver) ToolFailed(context.Context, error, bool)   {}
func (requestIDObserver) NoCustomer(context.Context)                {}
func (requestIDObserver) Searched(context.Context, []string)        {}
func (o requestIDObserver) RequestID(context.Context) string        { return o.id }
func (requestIDObserver) LookedUp(context.Context, *polar.Customer) {}
