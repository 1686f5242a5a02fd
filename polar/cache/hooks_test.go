package cache_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
)

// event is one webhook the fake sent: its type, timestamp and data as
// Polar sends them.
type event struct {
	Type      string          `json:"type"`
	Timestamp time.Time       `json:"timestamp"`
	Data      json.RawMessage `json:"data"`
}

// hooks receives the fake's webhooks and applies each to the cache with
// WriteThrough, as the fleet does on every instance, keeping them so that
// a test can deliver one again late.
type hooks struct {
	mu     sync.Mutex
	c      *cache.Client
	events []event
	missed []string // types WriteThrough did not handle
}

func (h *hooks) Do(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	var ev event
	if err := json.Unmarshal(body, &ev); err != nil {
		return nil, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events = append(h.events, ev)
	if !h.c.WriteThrough(ev.Type, ev.Data, ev.Timestamp) {
		h.missed = append(h.missed, ev.Type)
	}
	return &http.Response{StatusCode: http.StatusAccepted, Body: io.NopCloser(strings.NewReader("")), Header: http.Header{}}, nil
}

// last returns the newest event of type typ.
func (h *hooks) last(t *testing.T, typ string) event {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	for i := len(h.events) - 1; i >= 0; i-- {
		if h.events[i].Type == typ {
			return h.events[i]
		}
	}
	t.Fatalf("no %s event among %d", typ, len(h.events))
	return event{}
}

// hookedAPI is the demo API whose mutations send webhooks, as Polar's
// do, to a cache with webhooks on (billing kept ten minutes).
type hookedAPI struct {
	fake  *fakepolar.Server
	c     *cache.Client
	hooks *hooks
	url   string
	sent  int
}

func startHooked(t *testing.T) *hookedAPI {
	t.Helper()
	h := &hooks{}
	fake, err := fakepolar.Demo(fakepolar.Options{Webhook: fakepolar.Webhook{URL: "http://hooks.test/webhooks/polar", Secret: "s", Client: h}})
	if err != nil {
		t.Fatal(err)
	}
	api := &demoAPI{fake: fake}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	api.url = srv.URL
	h.c = api.cached(t, cache.Config{BillingTTL: 10 * time.Minute, Invalidated: true, Fresh: func() bool { return true }})
	return &hookedAPI{fake: fake, c: h.c, hooks: h, url: srv.URL}
}

// delivered waits until n more webhooks were delivered, and fails the
// test if one was not handled.
func (a *hookedAPI) delivered(t *testing.T, n int) {
	t.Helper()
	a.sent += n
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := a.fake.WaitWebhookDeliveries(ctx, a.sent); err != nil {
		t.Fatal(err)
	}
	a.hooks.mu.Lock()
	defer a.hooks.mu.Unlock()
	if len(a.hooks.missed) > 0 {
		t.Fatalf("webhooks not written through: %v", a.hooks.missed)
	}
}

// asked returns how many requests reached the fake since the last call.
func (a *hookedAPI) asked() int {
	n := a.fake.RequestCount()
	a.fake.ResetRequests()
	return n
}

// with returns data with fields set (nil deletes one).
func with(t *testing.T, data json.RawMessage, fields map[string]any) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	for k, v := range fields {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

var _ polar.Client = (*cache.Client)(nil)
