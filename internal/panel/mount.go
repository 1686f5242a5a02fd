package polarmcp

import (
	"context"
	"errors"
	"net/http"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/internal/fleet"
	"github.com/polar-mcp/polar-mcp/internal/hosted"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/internal/observe"
	"github.com/polar-mcp/polar-mcp/internal/panel"
	"github.com/polar-mcp/polar-mcp/tools"
)

// Option adjusts NewEndpoint and ServeHTTP.
type Option func(*options)

type options struct {
	tel          *observe.Telemetry // nil: not observed
	metricsReady chan<- string      // ServeHTTP: the metrics listener's address
}

// WithTelemetry makes NewEndpoint observed by tel: metrics, traces, the
// tool call and audit log lines. ServeHTTP builds its own.
func WithTelemetry(tel *observe.Telemetry) Option { return func(o *options) { o.tel = tel } }

// WithMetricsReady makes ServeHTTP send the metrics listener's address
// (cfg.MetricsListen, tests listen on port 0) to ready once it is up,
// before the endpoint's.
func WithMetricsReady(ready chan<- string) Option { return func(o *options) { o.metricsReady = ready } }

// agentPanel mounts the agent panel under prefix ("" or
// "/c/{connection}"): the page at prefix/agent/, and its API behind h's
// token checks: api/insights (get_visitor_insights called through srv)
// and api/events (the fleet's changes, when live; streams end at
// Shutdown). limit is srv's per-caller call budget: each events stream
// opened looks a customer up in Polar, and takes one call from it.
//
// The live updates come from Polar's webhooks when they are configured
// (live): the same invalidations that drop cached answers, published
// after the cache is dropped. Without them the events route answers 501
// and the page refreshes on demand.
func (e *Endpoint) agentPanel(prefix string, h *hosted.Handler, srv *server.MCPServer, limit server.ToolHandlerMiddleware,
	frameAncestors []string, live bool) {
	mux := e.mux
	mux.Handle(prefix+"/agent/", panel.NewPanel(panel.PanelConfig{FrameAncestors: frameAncestors}))
	mux.Handle(prefix+"/agent/api/insights", h.Authenticate(agentsOnly(panel.NewInsightsAPI(panel.InsightsVia(srv)))))
	events := panel.EventsConfig{}
	if live && e.fleet != nil {
		events.Subscribe = subscribeVia(e.fleet, limit)
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

// subscribeVia subscribes the panel to changes of the customer with the
// email, found through the adapter bound to the request (its
// connection's, or the single merchant's). The look-up is a call against
// the caller's call budget (limit, the tools' own): beyond it the stream
// is refused with 429, as insights are. A customer it cannot find, or a
// failed look-up, ends the stream (the page reconnects, then offers
// Refresh).
func subscribeVia(changes fleet.Changes, limit server.ToolHandlerMiddleware) panel.SubscribeFunc {
	return func(ctx context.Context, email string) (<-chan struct{}, func(), error) {
		id, _ := caller.From(ctx)
		var customer string
		find := limit(func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			pc, err := tools.FromContext(ctx)
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
			return nil, nil, &panel.APIError{Status: http.StatusTooManyRequests, Code: "rate_limited", Message: panel.ResultText(res)}
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
