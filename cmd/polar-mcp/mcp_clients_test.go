package main

import (
	"testing"

	"github.com/mark3labs/mcp-go/client"

	"github.com/polar-mcp/polar-mcp/internal/testkit"
)

// mcpClient connects a real MCP client to url ("/mcp" or "/sse" endpoint)
// with a bearer token.
func mcpClient(t *testing.T, url, token string) *client.Client {
	return testkit.MCPClient(t, url, token)
}
