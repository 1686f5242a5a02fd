package tools_test

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/tools"
)

// Benchmarks of one tool call through mcp-go's in-process client, the real
// MCP server, the real Polar adapter and the fake Polar API on a loopback
// HTTP server without added latency. They report time, memory and
// upstream requests per call; they assert nothing about timings.
// Customer resolution, cold and warm, is benchmarked in package polar
// (BenchmarkResolveCustomerCold, BenchmarkResolveCustomerWarm).
// docs/BENCHMARKS.md has the figures.

// benchCase is one tool called by one caller.
type benchCase struct {
	tool string
	id   caller.Identity
	args map[string]any
}

// benchCases calls seven of the tools once, as a customer (insights:
// as an agent) of the demo organization.
func benchCases() []benchCase {
	alice := caller.Identity{Role: caller.Customer, Email: "alice@example.com"}
	return []benchCase{
		{tools.NameSubscriptionStatus, alice, nil},
		{tools.NameOrderHistory, alice, map[string]any{"limit": 5}},
		{tools.NameBenefits, alice, nil},
		{tools.NameProducts, alice, nil},
		{tools.NameVisitorInsights, caller.Identity{Role: caller.Agent}, map[string]any{"email": "alice@example.com"}},
		{tools.NamePortalLink, alice, nil},
		{tools.NameManageSubscription, alice, map[string]any{"action": "cancel"}},
	}
}

// newBenchEnv is the demo organization behind the fake Polar API, with the
// adapter cached and coalesced as the commands build it, and no client-side
// rate limit: a benchmark is a flood.
func newBenchEnv(b *testing.B) *env {
	return newEnv(b, envOptions{cached: true, scopes: fakepolar.AllScopes()})
}

// callTool calls a tool; a protocol error or an isError result is an error.
func callTool(ctx context.Context, c *client.Client, bc benchCase) (*mcp.CallToolResult, error) {
	req := mcp.CallToolRequest{}
	req.Params.Name = bc.tool
	req.Params.Arguments = bc.args
	res, err := c.CallTool(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", bc.tool, err)
	}
	if res.IsError {
		return nil, fmt.Errorf("%s: isError result: %+v", bc.tool, res.Content)
	}
	return res, nil
}

// mustCall is callTool failing the benchmark on error.
func mustCall(ctx context.Context, b *testing.B, c *client.Client, bc benchCase) *mcp.CallToolResult {
	b.Helper()
	res, err := callTool(ctx, c, bc)
	if err != nil {
		b.Fatal(err)
	}
	return res
}

// BenchmarkToolCall is one warm tool call per tool (after one call that
// fills any cache), with upstream requests per call.
func BenchmarkToolCall(b *testing.B) {
	for _, bc := range benchCases() {
		b.Run(bc.tool, func(b *testing.B) {
			e := newBenchEnv(b)
			c, ctx := e.session(b, &bc.id)
			mustCall(ctx, b, c, bc)
			e.fake.ResetRequests()
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				mustCall(ctx, b, c, bc)
				n++
			}
			b.ReportMetric(float64(e.fake.RequestCount())/float64(n), "upstream/op")
		})
	}
}

// BenchmarkToolCallParallel is BenchmarkToolCall for get_subscription_status
// with callers on every GOMAXPROCS, each with its own session.
func BenchmarkToolCallParallel(b *testing.B) {
	bc := benchCases()[0]
	e := newBenchEnv(b)
	sessions := make(chan *client.Client, runtime.GOMAXPROCS(0))
	for range cap(sessions) {
		c, _ := e.session(b, &bc.id)
		sessions <- c
	}
	ctx := caller.With(context.Background(), bc.id)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		c := <-sessions
		for pb.Next() {
			if _, err := callTool(ctx, c, bc); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkEncodeResult is the JSON encoding of each tool's answer, as the
// transports write it.
func BenchmarkEncodeResult(b *testing.B) {
	for _, bc := range benchCases() {
		b.Run(bc.tool, func(b *testing.B) {
			e := newBenchEnv(b)
			c, ctx := e.session(b, &bc.id)
			res := mustCall(ctx, b, c, bc)
			raw, err := json.Marshal(res)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := json.Marshal(res); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
