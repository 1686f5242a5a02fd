package panel

import (
	"context"
	"errors"
	"net/http"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/internal/hosted"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/tools"
)

// Changes is what the live updates subscribe to: a value on the channel
// each time the customer of connection ("" for the single merchant)
// changes; the func ends the subscription, as ending ctx does.
type Changes interface {
	Subscribe(ctx context.Context, connection, customerID string) (<-chan struct{}, func())
}

// Mount is where and how the agent panel is served.
type Mount struct {
	// Mux receives the routes, under Prefix ("" or "/c/{connection}").
	Mux    *http.ServeMux
	Prefix string
	// Auth checks the caller's token (its Authenticate and
	// AuthenticateStream).
	Auth *hosted.Handler
	// Server answers the panel's look-ups with its tools; Limit is its
	// per-caller call budget.
	Server *server.MCPServer
	Limit  server.ToolHandlerMiddleware
	// FrameAncestors are the origins allowed to embed the page.
	FrameAncestors []string
	// Changes feeds the live updates; nil without Polar's webhooks, when
	// the events route answers 501 and the page refreshes on demand.
	Changes Changes
	// Quit ends every events stream when it ends (at Shutdown).
	Quit context.Context
}

// Handle mounts the agent panel: the page at Prefix/agent/, and its API
// behind Auth's token checks, for support agents only: api/insights
// (get_visitor_insights called through Server), api/events (Changes,
// when live; streams end with Quit) and the desk actions. Each events
// stream opened looks a customer up in Polar, and takes one call from
// Limit.
//
// The live updates come from Polar's webhooks when they are configured:
// the same invalidations that drop cached answers, published after the
// cache is dropped.
func (m Mount) Handle() {
	p := m.Prefix
	m.Mux.Handle(p+"/agent/", NewPanel(PanelConfig{FrameAncestors: m.FrameAncestors}))
	m.Mux.Handle(p+"/agent/api/insights", m.Auth.Authenticate(agentsOnly(NewInsightsAPI(InsightsVia(m.Server)))))
	events := EventsConfig{}
	if m.Changes != nil {
		events.Subscribe = subscribeVia(m.Changes, m.Limit)
	}
	m.Mux.Handle(p+"/agent/api/events", m.Auth.AuthenticateStream(agentsOnly(untilDone(m.Quit, NewEvents(events)))))
	m.desk()
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
			WriteError(w, http.StatusForbidden, "forbidden",
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
func subscribeVia(changes Changes, limit server.ToolHandlerMiddleware) SubscribeFunc {
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
			return nil, nil, &APIError{Status: http.StatusTooManyRequests, Code: "rate_limited", Message: ResultText(res)}
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
