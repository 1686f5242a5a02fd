package testkit

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
)

// MCPClient connects a real MCP client to url (an "/sse" endpoint over
// legacy SSE, anything else over streamable HTTP) with a bearer token,
// initializes the session and closes it when the test ends.
func MCPClient(t testing.TB, url, token string) *client.Client {
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
	init.Params.ClientInfo = mcp.Implementation{Name: "polar-mcp-test", Version: "1"}
	if _, err := c.Initialize(ctx, init); err != nil {
		t.Fatalf("initialize %s: %v", url, err)
	}
	return c
}
