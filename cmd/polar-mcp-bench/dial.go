package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
)

// Protocol versions the load clients negotiate by default, per transport.
const (
	sseProtocol  = mcp.ProtocolVersion20241105
	httpProtocol = mcp.ProtocolVersion20251125
)

// newHTTPClient is the HTTP client all load clients share, keeping enough
// idle connections for conns concurrent callers (the default keeps 2).
func newHTTPClient(conns int) *http.Client {
	return &http.Client{Transport: &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns + 16,
		MaxIdleConnsPerHost: conns + 16,
		IdleConnTimeout:     90 * time.Second,
	}}
}

// dial opens an initialized MCP client to the hosted endpoint at base over
// kind ("http": streamable HTTP at /mcp, "sse": legacy SSE at /sse) with a
// bearer token. An empty protocol means the transport's default.
func dial(ctx context.Context, hc *http.Client, base, kind, protocol, token string) (*client.Client, error) {
	headers := map[string]string{"Authorization": "Bearer " + token}
	var tr transport.Interface
	var err error
	switch kind {
	case "http":
		if protocol == "" {
			protocol = httpProtocol
		}
		tr, err = transport.NewStreamableHTTP(base+"/mcp", transport.WithHTTPHeaders(headers), transport.WithHTTPBasicClient(hc))
	case "sse":
		if protocol == "" {
			protocol = sseProtocol
		}
		tr, err = transport.NewSSE(base+"/sse", transport.WithHeaders(headers), transport.WithHTTPClient(hc))
	default:
		return nil, fmt.Errorf("unknown transport %q (want http or sse)", kind)
	}
	if err != nil {
		return nil, err
	}
	c := client.NewClient(tr)
	// The SSE stream lives as long as the context Start gets.
	if err := c.Start(context.WithoutCancel(ctx)); err != nil {
		c.Close()
		return nil, fmt.Errorf("start %s: %w", kind, err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = protocol
	init.Params.ClientInfo = mcp.Implementation{Name: "polar-mcp-bench", Version: "1"}
	initCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := c.Initialize(initCtx, init); err != nil {
		c.Close()
		return nil, fmt.Errorf("initialize %s: %w", kind, err)
	}
	return c, nil
}
