package panel

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/hosted"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/tools"
)

// InsightsVia is the panel's look-up: get_visitor_insights called through
// srv in process, in the request's context (the verified caller, the
// connection's adapter), so that its middleware (the per-caller call
// limit, audit, recovery), its role filter and its identity checks apply
// exactly as to an MCP client's call. The answer is its
// structuredContent.
func InsightsVia(srv *server.MCPServer) InsightsFunc {
	return func(ctx context.Context, _ *http.Request, email string) (any, error) {
		if err := config.CheckEmail(caller.NormalizeEmail(email)); err != nil {
			return nil, &APIError{Status: http.StatusBadRequest, Code: "bad_request",
				Message: "that is not an email address: pass a bare address such as jane@example.com"}
		}
		res, err := CallInProcess(ctx, srv, tools.NameVisitorInsights, map[string]any{"email": email})
		if err != nil {
			return nil, err
		}
		if res == nil {
			return nil, fmt.Errorf("get_visitor_insights: protocol error")
		}
		return Answer(res)
	}
}

// CallInProcess calls tool through srv in ctx, as an MCP client's
// tools/call would be; a nil result means srv answered with a JSON-RPC
// error (the tool is not offered to this caller).
func CallInProcess(ctx context.Context, srv *server.MCPServer, tool string, args map[string]any) (*mcp.CallToolResult, error) {
	msg, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": "tools/call",
		"params": map[string]any{"name": tool, "arguments": args}})
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(srv.HandleMessage(ctx, msg))
	if err != nil {
		return nil, err
	}
	var resp struct {
		Result *mcp.CallToolResult `json:"result"`
		Error  *struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(raw, &resp); err != nil {
		return nil, err
	}
	if resp.Error != nil {
		return nil, nil
	}
	return resp.Result, nil
}

// Answer is a tool result as the panel's API answers it: its
// structuredContent, or the agent's message with 429 for a rate limit
// and 502 otherwise.
func Answer(res *mcp.CallToolResult) (any, error) {
	if res.IsError {
		status, code := http.StatusBadGateway, "polar_error"
		if _, limited := hosted.RetryAfter(res); limited {
			status, code = http.StatusTooManyRequests, "rate_limited"
		}
		return nil, &APIError{Status: status, Code: code, Message: ResultText(res)}
	}
	return res.StructuredContent, nil
}

// ResultText is the text of a tool result (its messages are written for
// the reader and hold no secret).
func ResultText(res *mcp.CallToolResult) string {
	for _, c := range res.Content {
		if t, ok := mcp.AsTextContent(c); ok {
			return t.Text
		}
	}
	return "Polar could not answer just now."
}
