package observe

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/mark3labs/mcp-go/server"
)

// sessionGauge keeps polarmcp_sessions_open: each registered session
// counts once, under its transport, until it is unregistered.
type sessionGauge struct {
	metrics *Metrics
	mu      sync.Mutex
	open    map[string]string // session id → transport
}

func newSessionGauge(m *Metrics) *sessionGauge {
	return &sessionGauge{metrics: m, open: map[string]string{}}
}

// Hooks returns the mcp-go hooks (tools.Options.Hooks) that count the
// sessions open by transport.
func (o *Observer) Hooks() *server.Hooks {
	h := &server.Hooks{}
	h.AddOnRegisterSession(func(ctx context.Context, s server.ClientSession) {
		o.sessions.register(s.SessionID(), sessionTransport(ctx, s))
	})
	h.AddOnUnregisterSession(func(_ context.Context, s server.ClientSession) {
		o.sessions.unregister(s.SessionID())
	})
	return h
}

func (g *sessionGauge) register(id, transport string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.open[id]; ok || g.metrics == nil {
		return
	}
	g.open[id] = transport
	g.metrics.Sessions.Inc(transport)
}

func (g *sessionGauge) unregister(id string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	transport, ok := g.open[id]
	if !ok {
		return
	}
	delete(g.open, id)
	g.metrics.Sessions.Dec(transport)
}

// sessionTransport names a session's transport: the one the request
// that opened it was marked with (HTTP middleware, WithTransport), else
// what the session's kind says.
func sessionTransport(ctx context.Context, s server.ClientSession) string {
	if t := requestFrom(ctx).transport; t != "" {
		return t
	}
	switch kind := fmt.Sprintf("%T", s); {
	case strings.Contains(kind, "stdio"):
		return TransportStdio
	case strings.Contains(kind, "sse"):
		return TransportSSE
	case strings.Contains(kind, "streamable"):
		return TransportStreamable
	}
	return "other"
}
