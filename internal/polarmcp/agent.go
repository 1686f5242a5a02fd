package polarmcp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/internal/hosted"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/internal/panel"
	"github.com/polar-mcp/polar-mcp/tools"
)

// Option adjusts NewEndpoint and ServeHTTP.
type Option func(*options)

type options struct {
	changes Changes
}

// WithChanges gives the agent panel another source of live updates (GET
// .../agent/api/events) than the server's own webhooks (Fleet).
func WithChanges(c Changes) Option { return func(o *options) { o.changes = c } }

// agentPanel mounts the agent panel under prefix ("" or
// "/c/{connection}"): the page at prefix/agent/, and its API behind h's
// token checks: api/insights (get_visitor_insights called through srv)
// and api/events (WithChanges's source, when set; streams end at
// Shutdown). limit is srv's per-caller call budget: each events stream
// opened looks a customer up in Polar, and takes one call from it.
//
// The live updates come from Polar's webhooks when they are configured
// (live): the same invalidations that drop cached answers, published
// after the cache is dropped. Without them the events route answers 501
// and the page refreshes on demand.
func (e *Endpoint) agentPanel(prefix string, h *hosted.Handler, srv *server.MCPServer, limit server.ToolHandlerMiddleware,
	client tools.ClientFunc, frameAncestors []string, live bool) {
	mux, changes := e.mux, e.opts.changes
	if changes == nil && live && e.fleet != nil {
		changes = e.fleet
	}
	mux.Handle(prefix+"/agent/", panel.NewPanel(panel.PanelConfig{FrameAncestors: frameAncestors}))
	mux.Handle(prefix+"/agent/api/insights", h.Authenticate(agentsOnly(panel.NewInsightsAPI(insightsVia(srv)))))
	events := panel.EventsConfig{}
	if changes != nil {
		events.Subscribe = subscribeVia(client, changes, limit)
	}
	mux.Handle(prefix+"/agent/api/events", h.AuthenticateStream(agentsOnly(untilDone(e.quit, panel.NewEvents(events)))))
	e.agentDesk(prefix, h, srv)
}

// untilDone ends next's request when quit ends.
func untilDone(quit context.Context, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		defer context.AfterFunc(quit, cancel)()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// agentsOnly refuses every verified caller who is not a support agent.
func agentsOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id, _ := caller.From(r.Context()); id.Role != caller.Agent {
			panel.WriteError(w, http.StatusForbidden, "forbidden",
				"Customer insights are for support agents only: this token is a customer's.")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// insightsVia is the panel's look-up: get_visitor_insights called through
// srv in process, in the request's context (the verified caller, the
// connection's adapter), so that its middleware (the per-caller call
// limit, audit, recovery), its role filter and its identity checks apply
// exactly as to an MCP client's call. The answer is its
// structuredContent.
func insightsVia(srv *server.MCPServer) panel.InsightsFunc {
	return func(ctx context.Context, _ *http.Request, email string) (any, error) {
		if err := caller.CheckEmail(caller.NormalizeEmail(email)); err != nil {
			return nil, &panel.APIError{Status: http.StatusBadRequest, Code: "bad_request",
				Message: "that is not an email address: pass a bare address such as jane@example.com"}
		}
		res, err := callInProcess(ctx, srv, tools.NameVisitorInsights, map[string]any{"email": email})
		if err != nil {
			return nil, err
		}
		if res == nil {
			return nil, fmt.Errorf("get_visitor_insights: protocol error")
		}
		return panelAnswer(res)
	}
}

// callInProcess calls tool through srv in ctx, as an MCP client's
// tools/call would be; a nil result means srv answered with a JSON-RPC
// error (the tool is not offered to this caller).
func callInProcess(ctx context.Context, srv *server.MCPServer, tool string, args map[string]any) (*mcp.CallToolResult, error) {
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

// panelAnswer is a tool result as the panel's API answers it: its
// structuredContent, or the agent's message with 429 for a rate limit
// and 502 otherwise.
func panelAnswer(res *mcp.CallToolResult) (any, error) {
	if res.IsError {
		status, code := http.StatusBadGateway, "polar_error"
		if _, limited := hosted.RetryAfter(res); limited {
			status, code = http.StatusTooManyRequests, "rate_limited"
		}
		return nil, &panel.APIError{Status: status, Code: code, Message: resultText(res)}
	}
	return res.StructuredContent, nil
}

// resultText is the text of a tool result (its messages are written for
// the reader and hold no secret).
func resultText(res *mcp.CallToolResult) string {
	for _, c := range res.Content {
		if t, ok := mcp.AsTextContent(c); ok {
			return t.Text
		}
	}
	return "Polar could not answer just now."
}

// subscribeVia subscribes the panel to changes of the customer with the
// email, found through the caller's connection's adapter. The look-up is
// a call against the caller's call budget (limit, the tools' own): beyond
// it the stream is refused with 429, as insights are. A customer it
// cannot find, or a failed look-up, ends the stream (the page
// reconnects, then offers Refresh).
func subscribeVia(client tools.ClientFunc, changes Changes, limit server.ToolHandlerMiddleware) panel.SubscribeFunc {
	return func(ctx context.Context, email string) (<-chan struct{}, func(), error) {
		id, _ := caller.From(ctx)
		var customer string
		find := limit(func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			pc, err := client(ctx)
			if err != nil {
				return nil, err
			}
			c, err := pc.FindCustomerByEmail(ctx, caller.NormalizeEmail(email))
			if err != nil || c == nil || c.ID == "" {
				return nil, errors.New("no such customer")
			}
			customer = c.ID
			return &mcp.CallToolResult{}, nil
		})
		res, err := find(ctx, mcp.CallToolRequest{})
		if _, limited := hosted.RetryAfter(res); limited {
			return nil, nil, &panel.APIError{Status: http.StatusTooManyRequests, Code: "rate_limited", Message: resultText(res)}
		}
		if err != nil || customer == "" {
			return closed(), nil, nil
		}
		ch, unsubscribe := changes.Subscribe(ctx, id.Connection, customer)
		return ch, unsubscribe, nil
	}
}

func closed() <-chan struct{} {
	ch := make(chan struct{})
	close(ch)
	return ch
}
