package polarmcp

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/fleet"
	"github.com/polar-mcp/polar-mcp/internal/hosted"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/internal/panel"
	"github.com/polar-mcp/polar-mcp/tools"
)

// Option adjusts NewEndpoint and ServeHTTP.
type Option func(*options)

type options struct {
	tel          *Telemetry    // nil: not observed
	metricsReady chan<- string // ServeHTTP: the metrics listener's address
}

// WithTelemetry makes NewEndpoint observed by tel: metrics, traces, the
// tool call and audit log lines. ServeHTTP builds its own.
func WithTelemetry(tel *Telemetry) Option { return func(o *options) { o.tel = tel } }

// WithMetricsReady makes ServeHTTP send the metrics listener's address
// (cfg.MetricsListen, tests listen on port 0) to ready once it is up,
// before the endpoint's.
func WithMetricsReady(ready chan<- string) Option { return func(o *options) { o.metricsReady = ready } }

// agentPanel mounts the agent panel under prefix ("" or
// "/c/{connection}"): the page at prefix/agent/, and its API behind h's
// token checks: api/insights (get_visitor_insights called through srv)
// and api/events (the fleet's changes, when live; streams end at
// Shutdown).
//
// The live updates come from Polar's webhooks when they are configured
// (live): the same invalidations that drop cached answers, published
// after the cache is dropped. Without them the events route answers 501
// and the page refreshes on demand.
func (e *Endpoint) agentPanel(prefix string, h *hosted.Handler, srv *server.MCPServer,
	frameAncestors []string, live bool) {
	mux := e.mux
	mux.Handle(prefix+"/agent/", panel.NewPanel(panel.PanelConfig{FrameAncestors: frameAncestors}))
	mux.Handle(prefix+"/agent/api/insights", h.Authenticate(agentsOnly(panel.NewInsightsAPI(insightsVia(srv)))))
	events := panel.EventsConfig{}
	if live {
		events.Subscribe = subscribeVia(e.fleet)
	}
	mux.Handle(prefix+"/agent/api/events", h.AuthenticateStream(agentsOnly(untilDone(e.quit, panel.NewEvents(events)))))
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
		if err := config.CheckEmail(caller.NormalizeEmail(email)); err != nil {
			return nil, &panel.APIError{Status: http.StatusBadRequest, Code: "bad_request",
				Message: "that is not an email address: pass a bare address such as jane@example.com"}
		}
		msg, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": "tools/call",
			"params": map[string]any{"name": tools.NameVisitorInsights, "arguments": map[string]any{"email": email}}})
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
		res := resp.Result
		switch {
		case resp.Error != nil || res == nil:
			return nil, fmt.Errorf("get_visitor_insights: protocol error")
		case res.IsError:
			status, code := http.StatusBadGateway, "polar_error"
			if _, limited := hosted.RetryAfter(res); limited {
				status, code = http.StatusTooManyRequests, "rate_limited"
			}
			return nil, &panel.APIError{Status: status, Code: code, Message: resultText(res)}
		}
		return res.StructuredContent, nil
	}
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
// email, found through the adapter bound to the request (its connection's,
// or the single merchant's). A customer it
// cannot find, or a failed look-up, ends the stream (the page reconnects,
// then offers Refresh).
func subscribeVia(changes fleet.Changes) panel.SubscribeFunc {
	return func(ctx context.Context, email string) (<-chan struct{}, func()) {
		id, _ := caller.From(ctx)
		pc, err := tools.FromContext(ctx)
		if err != nil {
			return closed(), nil
		}
		c, err := pc.FindCustomerByEmail(ctx, caller.NormalizeEmail(email))
		if err != nil || c == nil || c.ID == "" {
			return closed(), nil
		}
		return changes.Subscribe(ctx, id.Connection, c.ID)
	}
}

func closed() <-chan struct{} {
	ch := make(chan struct{})
	close(ch)
	return ch
}
