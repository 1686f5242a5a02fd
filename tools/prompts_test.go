package tools_test

import (
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/tools"
)

func TestPromptsAreForAgentsOnly(t *testing.T) {
	e := newEnv(t, envOptions{})
	c, ctx := e.session(t, agent())
	list, err := c.ListPrompts(ctx, mcp.ListPromptsRequest{})
	if err != nil || len(list.Prompts) != 2 {
		t.Fatalf("agent prompts: %+v, %v", list, err)
	}
	req := mcp.GetPromptRequest{}
	req.Params.Name = tools.PromptSupportReply
	req.Params.Arguments = map[string]string{"email": "alice@example.com", "question": "Why was I charged twice?"}
	res, err := c.GetPrompt(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	text := res.Messages[0].Content.(mcp.TextContent).Text
	for _, want := range []string{"get_visitor_insights", "alice@example.com", "charged twice", "customer portal", "card"} {
		if !strings.Contains(text, want) {
			t.Errorf("support_reply lacks %q: %s", want, text)
		}
	}
	req.Params.Arguments = map[string]string{"email": "Jane <jane@example.com>", "question": "hi"}
	if _, err := c.GetPrompt(ctx, req); err == nil {
		t.Error("a display-name email was accepted")
	}

	cc, cctx := e.session(t, customer("alice@example.com"))
	if list, err := cc.ListPrompts(cctx, mcp.ListPromptsRequest{}); err == nil && len(list.Prompts) != 0 {
		t.Errorf("a customer sees prompts: %+v", list.Prompts)
	}
	req.Params.Name = tools.PromptCancellationHelp
	req.Params.Arguments = map[string]string{"email": "alice@example.com"}
	if _, err := cc.GetPrompt(cctx, req); err == nil {
		t.Error("a customer got an agent prompt")
	}
}

// prompts/get returns each prompt's description as prompts/list gives it,
// never its name.
func TestPromptsGetCarriesTheDescription(t *testing.T) {
	e := newEnv(t, envOptions{})
	c, ctx := e.session(t, agent())
	list, err := c.ListPrompts(ctx, mcp.ListPromptsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list.Prompts {
		req := mcp.GetPromptRequest{}
		req.Params.Name = p.Name
		req.Params.Arguments = map[string]string{"email": "alice@example.com", "question": "Can I get a refund?"}
		res, err := c.GetPrompt(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if res.Description == p.Name || res.Description != p.Description || len(p.Description) < 20 {
			t.Errorf("%s: prompts/get description %q, prompts/list %q", p.Name, res.Description, p.Description)
		}
	}
}
