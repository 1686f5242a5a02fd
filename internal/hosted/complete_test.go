package hosted

import (
	"context"
	"slices"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/tools"
)

func completeEmail(t *testing.T, c *client.Client, typed string) []string {
	t.Helper()
	req := mcp.CompleteRequest{}
	req.Params.Ref = mcp.PromptReference{Type: "ref/prompt", Name: tools.PromptSupportReply}
	req.Params.Argument = mcp.CompleteArgument{Name: "email", Value: typed}
	res, err := c.Complete(context.Background(), req)
	if err != nil {
		t.Fatalf("completion/complete: %v", err)
	}
	return res.Completion.Values
}

// TestPromptEmailCompletesFromTheSessionsLookups: an agent's session
// completes the prompts' email argument from the customers it looked up,
// newest first; another agent's session and a customer get nothing.
func TestPromptEmailCompletesFromTheSessionsLookups(t *testing.T) {
	s, _ := realServer(t)
	for _, tr := range []struct{ kind, version string }{{"sse", "2024-11-05"}, {"http", "2025-11-25"}} {
		agent := connect(t, s.url, tr.kind, tr.version, agentToken(t))
		if agent.GetServerCapabilities().Completions == nil {
			t.Fatalf("%s: no completions capability", tr.kind)
		}
		for _, email := range []string{"bob@example.com", "carol@example.com", "Bob@Example.com"} {
			if _, isErr, err := testkit.CallTool(context.Background(), agent, tools.NameVisitorInsights, map[string]any{"email": email}); err != nil || isErr {
				t.Fatalf("%s: insights for %s: %v", tr.kind, email, err)
			}
		}
		if got := completeEmail(t, agent, ""); !slices.Equal(got, []string{"bob@example.com", "carol@example.com"}) {
			t.Errorf("%s: all: %v, want bob then carol", tr.kind, got)
		}
		if got := completeEmail(t, agent, "CA"); !slices.Equal(got, []string{"carol@example.com"}) {
			t.Errorf("%s: \"CA\": %v", tr.kind, got)
		}
		other := connect(t, s.url, tr.kind, tr.version, agentToken(t))
		if got := completeEmail(t, other, ""); len(got) != 0 {
			t.Errorf("%s: another agent's session completes %v", tr.kind, got)
		}
		customer := connect(t, s.url, tr.kind, tr.version, customerToken(t, "bob@example.com"))
		if got := completeEmail(t, customer, ""); len(got) != 0 {
			t.Errorf("%s: a customer completes %v", tr.kind, got)
		}
	}
}
