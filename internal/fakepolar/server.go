// Package fakepolar is an in-process stand-in for Polar's HTTP API.
//
// It serves a fixture directory (see fixtures/demo) with the paths, query
// parameters, pagination, authentication, scopes and error bodies of Polar's
// published API (version 2026-10), so that tests, benchmarks and
// `polar-mcp --demo` can run without a network. Fault injection, added
// latency, rate limiting and request accounting let tests exercise the
// failure paths a real Polar produces.
package fakepolar

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
	"sync"
	"time"
)

// DemoToken is the bearer token the fake accepts, with AllScopes, when
// Options.Tokens is nil. It is not a real Polar token.
const DemoToken = "polar_oat_demo_fake_token"

// AllScopes returns every scope the fake's endpoints check.
func AllScopes() []string {
	return []string{
		scopeCustomersRead, scopeCustomersWrite,
		scopeSubscriptionsRead, scopeSubscriptionsWrite,
		scopeOrdersRead,
		scopeProductsRead, scopeProductsWrite,
		scopeBenefitsRead, scopeBenefitsWrite,
		scopeOrganizationsRead, scopeOrganizationsWrite,
		scopeCustomerSessionsWrite,
		scopeLicenseKeysRead, scopeLicenseKeysWrite,
		scopeMembersRead, scopeMembersWrite, scopeCustomerSeatsRead,
		scopeDisputesRead, scopeDisputesWrite,
	}
}

// Options configure a Server. The zero value serves DemoToken with all
// scopes, without latency or rate limit, on the real clock.
type Options struct {
	// Tokens maps each accepted bearer token to its granted scopes. Any
	// other token, or none, is answered 401. Nil means
	// {DemoToken: AllScopes()}.
	Tokens map[string][]string
	// Latency is added before every response. A request whose context is
	// canceled meanwhile gets no response.
	Latency time.Duration
	// RateLimit is the number of requests per minute allowed per token;
	// beyond it the fake answers 429 with Retry-After. Zero disables it.
	RateLimit int
	// Now is the clock (customer session expiry, rate-limit windows,
	// timestamps of mutations and webhooks). Nil means time.Now.
	Now func() time.Time
	// DatesFollowClock moves every date-time of the fixtures by the whole
	// days (UTC) from Anchor to Now's day when the server is built, so
	// that data written for Anchor reads the same relative to today
	// (a current plan never has a past period end): the demo's setting.
	// Off, the fixtures' dates are served as written.
	DatesFollowClock bool
	// Control enables the HTTP control surface under /__fake/ (see
	// control.go), which changes the data while the fake runs. Off by
	// default: Polar has no such paths.
	Control bool
	// Webhook, when its URL is set, receives a signed event for every
	// mutation (see webhook.go).
	Webhook Webhook
}

// Server is the fake Polar API. It implements http.Handler and is safe for
// concurrent use.
type Server struct {
	// state guards data: handlers read it under RLock, mutations
	// (mutate.go) change it under Lock.
	state  sync.RWMutex
	data   *dataset
	opts   Options
	hooks  *webhooks
	tokens map[string]map[string]bool
	routes []route
	portal portalSessions // customer sessions created, by token (portal.go)

	mu       sync.Mutex
	faults   []*Fault
	requests []Request
	windows  map[string]*window
}

// New loads the fixture files at the root of fsys (organization.json,
// customers.json, subscriptions.json, orders.json, products.json,
// benefits.json, benefit_grants.json, and optionally license_keys.json and
// customer_meters.json) and returns a server for them.
func New(fsys fs.FS, opts Options) (*Server, error) {
	data, err := loadDataset(fsys)
	if err != nil {
		return nil, fmt.Errorf("fakepolar: %w", err)
	}
	if opts.Tokens == nil {
		opts.Tokens = map[string][]string{DemoToken: AllScopes()}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.DatesFollowClock {
		data.shiftDates(ShiftDays(opts.Now()))
	}
	tokens := make(map[string]map[string]bool, len(opts.Tokens))
	for tok, scopes := range opts.Tokens {
		set := make(map[string]bool, len(scopes))
		for _, s := range scopes {
			set[s] = true
		}
		tokens[tok] = set
	}
	s := &Server{data: data, opts: opts, tokens: tokens, windows: map[string]*window{}, hooks: newWebhooks(opts.Webhook)}
	s.routes = append(append(append(append(s.routeTable(), s.billingRoutes()...), s.memberRoutes()...), s.enrichRoutes()...),
		s.portalRoutes()...)
	return s, nil
}

// OrganizationID returns the ID of the organization the fixtures belong to.
func (s *Server) OrganizationID() string { return s.data.orgID }

// ServeHTTP answers one request as Polar would.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.opts.Control && isControlPath(r.URL.Path) {
		s.serveControl(w, r)
		return
	}
	s.record(r)
	if !sleep(r.Context(), s.opts.Latency) {
		return
	}
	if f, ok := s.takeFault(r); ok {
		if !sleep(r.Context(), f.Delay) {
			return
		}
		if f.Status != 0 {
			writeFault(w, f)
			return
		}
	}
	token := bearerToken(r)
	if retry, limited := s.rateLimited(token); limited {
		writeTooManyRequests(w, retry)
		return
	}
	rt, id, status := s.match(r.Method, r.URL.Path)
	switch status {
	case http.StatusNotFound:
		writeJSON(w, http.StatusNotFound, map[string]any{"detail": "Not Found"})
		return
	case http.StatusMethodNotAllowed:
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"detail": "Method Not Allowed"})
		return
	}
	if strings.HasPrefix(rt.pattern, portalPrefix) {
		// A customer session's token, checked by the handler.
		s.serveLocked(w, r, rt, id)
		return
	}
	scopes, ok := s.tokens[token]
	if token == "" || !ok {
		writeInvalidToken(w)
		return
	}
	if !hasAny(scopes, rt.scopes) {
		writeInsufficientScope(w, rt.scopes)
		return
	}
	s.serveLocked(w, r, rt, id)
}

// sleep waits d, or until ctx is done; it reports whether d elapsed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func hasAny(granted map[string]bool, accepted []string) bool {
	for _, s := range accepted {
		if granted[s] {
			return true
		}
	}
	return false
}
