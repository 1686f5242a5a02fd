package testkit

import (
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
)

func TestTextJoinsTextContentsInOrder(t *testing.T) {
	res := &mcp.CallToolResult{Content: []mcp.Content{
		mcp.NewTextContent("Pro plan, "),
		mcp.NewImageContent("aGk=", "image/png"),
		mcp.NewTextContent("€24.00 / month"),
	}}
	if got := Text(res); got != "Pro plan, €24.00 / month" {
		t.Errorf("Text = %q", got)
	}
	if got := Text(&mcp.CallToolResult{}); got != "" {
		t.Errorf("no content: %q", got)
	}
	if got := Text(nil); got != "" {
		t.Errorf("nil result: %q", got)
	}
}
