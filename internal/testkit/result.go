package testkit

import (
	"context"
	"strings"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
)

// Text returns a tool result's text: its text contents, concatenated in
// order ("" when it has none).
func Text(res *mcp.CallToolResult) string {
	if res == nil {
		return ""
	}
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

// CallTool calls the tool name with args over c and returns the result's
// text and whether it is a tool error. err is a failed call (transport or
// protocol), not a tool error.
func CallTool(ctx context.Context, c *client.Client, name string, args map[string]any) (text string, isError bool, err error) {
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	res, err := c.CallTool(ctx, req)
	if err != nil {
		return "", false, err
	}
	return Text(res), res.IsError, nil
}
