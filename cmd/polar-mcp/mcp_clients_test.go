package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
)

// mcpClient connects a real MCP client to url ("/mcp" or "/sse" endpoint)
// with a bearer token.
func mcpClient(t *testing.T, url, token string) *client.Client {
	t.Helper()
	headers := map[string]string{"Authorization": "Bearer " + token}
	var c *client.Client
	var err error
	if strings.HasSuffix(url, "/sse") {
		c, err = client.NewSSEMCPClient(url, transport.WithHeaders(headers))
	} else {
		c, err = client.NewStreamableHttpClient(url, transport.WithHTTPHeaders(headers))
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	// The SSE stream lives as long as Start's context: not a timeout.
	if err := c.Start(context.Background()); err != nil {
		t.Fatalf("start %s: %v", url, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = "2025-11-25"
	init.Params.ClientInfo = mcp.Implementation{Name: "merchants-test", Version: "1"}
	if _, err := c.Initialize(ctx, init); err != nil {
		t.Fatalf("initialize %s: %v", url, err)
	}
	return c
}

// stdioClient spawns bin with env and args, as Claude Desktop would, and
// initializes an MCP session over its stdio. The context bounds the test.
func stdioClient(t *testing.T, bin string, env []string, args ...string) (*client.Client, *mcp.InitializeResult, context.Context) {
	t.Helper()
	c, err := client.NewStdioMCPClient(bin, env, args...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "cmd-test", Version: "1"}
	res, err := c.Initialize(ctx, init)
	if err != nil {
		t.Fatal(err)
	}
	return c, res, ctx
}
