package tools

import (
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/polar"
)

// TestExplainUpstreamFaults: an unreadable answer and a refused redirect
// each get their own sentence, not the generic outage one.
func TestExplainUpstreamFaults(t *testing.T) {
	for kind, want := range map[polar.ErrorKind]string{
		polar.KindDecode:   "Polar sent an answer polar-mcp could not read",
		polar.KindRedirect: "Polar answered with a redirect to another server; polar-mcp does not follow it",
	} {
		got := explain(&polar.Error{Kind: kind, Status: 200, Operation: "customers:list"})
		if !strings.HasPrefix(got, want) || strings.Contains(got, "outage") {
			t.Errorf("%v: %q, want it to start %q", kind, got, want)
		}
	}
}
