//go:build e2e

package panel

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Test tokens the fixture's auth layer knows.
const (
	agentToken    = "agent-7d1c9e2b"
	customerToken = "customer-55aa01"
	expiredToken  = "agent-expired-0f0f"
)

// customers is the test insights source: a set of customers that a test
// changes, telling subscribers.
type customers struct {
	mu   sync.Mutex
	byID map[string]Insights
	subs map[string][]chan struct{}
}

func newCustomers(list ...Insights) *customers {
	c := &customers{byID: map[string]Insights{}, subs: map[string][]chan struct{}{}}
	for _, i := range list {
		c.byID[i.Email] = i
	}
	return c
}

func (c *customers) insights(_ context.Context, _ *http.Request, email string) (any, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if i, ok := c.byID[strings.ToLower(email)]; ok {
		return i, nil
	}
	return Insights{Email: email, Subscriptions: []string{}, RecentOrders: []Order{}, ActiveBenefits: []Benefit{}}, nil
}

func (c *customers) set(i Insights) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byID[i.Email] = i
	for _, ch := range c.subs[i.Email] {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

func (c *customers) subscribe(_ context.Context, email string) (<-chan struct{}, func(), error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	email = strings.ToLower(email)
	ch := make(chan struct{}, 1)
	c.subs[email] = append(c.subs[email], ch)
	return ch, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		list := c.subs[email]
		for i, s := range list {
			if s == ch {
				c.subs[email] = append(list[:i], list[i+1:]...)
				break
			}
		}
	}, nil
}

// seenRequest is what the fixture server saw of one request.
type seenRequest struct {
	Method, URL, Authorization, Cookie string
}

// panelServer serves the panel at /agent/ and /c/7/agent/ with its API
// behind a small auth layer that answers like the hosted server: 401 for
// an expired token, 403 for a customer's.
type panelServer struct {
	*httptest.Server
	customers *customers
	mu        sync.Mutex
	seen      []seenRequest
}

func newPanelServer(t *testing.T, c *customers) *panelServer {
	t.Helper()
	s := &panelServer{customers: c}
	auth := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ") {
			case agentToken:
				next.ServeHTTP(w, r)
			case expiredToken:
				WriteError(w, http.StatusUnauthorized, "token_expired", "This agent token has expired. Ask for a new one.")
			case customerToken:
				WriteError(w, http.StatusForbidden, "forbidden", "This is a customer token: insights are for support agents.")
			default:
				WriteError(w, http.StatusUnauthorized, "unauthorized", "Unknown token.")
			}
		})
	}
	mux := http.NewServeMux()
	for _, prefix := range []string{"/agent/", "/c/7/agent/"} {
		mux.Handle(prefix, NewPanel(PanelConfig{FrameAncestors: []string{"https://acme.zendesk.com"}}))
		mux.Handle(prefix+"api/insights", auth(NewInsightsAPI(c.insights)))
		mux.Handle(prefix+"api/events", auth(NewEvents(EventsConfig{Subscribe: c.subscribe})))
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.seen = append(s.seen, seenRequest{r.Method, r.URL.String(), r.Header.Get("Authorization"), r.Header.Get("Cookie")})
		s.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	s.Config.BaseContext = func(net.Listener) context.Context { return ctx }
	s.Start()
	t.Cleanup(func() { cancel(); s.Close() })
	return s
}

func (s *panelServer) requests() []seenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seenRequest(nil), s.seen...)
}
