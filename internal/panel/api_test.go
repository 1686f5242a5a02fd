package panel

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func apiCall(t *testing.T, h http.Handler, method, target, auth string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var body map[string]any
	if rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatalf("%s: body is not JSON: %q", target, rec.Body.String())
		}
	}
	if ct := rec.Header().Get("Content-Type"); rec.Body.Len() > 0 && !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: Content-Type %q", target, ct)
	}
	return rec.Code, body
}

func TestInsightsAPIStatuses(t *testing.T) {
	secret := errors.New("dial tcp 10.0.0.1: token polar_oat_SECRET refused")
	h := NewInsightsAPI(func(_ context.Context, r *http.Request, email string) (any, error) {
		switch email {
		case "carol@example.com":
			return Insights{Email: email, Found: true, Plan: "Pro", Status: "paused"}, nil
		case "nobody@example.com":
			return Insights{Email: email}, nil
		case "gone@example.com":
			return nil, nil
		case "slow@example.com":
			return nil, &APIError{Status: http.StatusTooManyRequests, Code: "rate_limited", Message: "Polar is busy"}
		}
		return nil, secret
	})
	cases := []struct {
		target, auth string
		status       int
		field, want  string
	}{
		{"/agent/api/insights?email=carol@example.com", "Bearer t", 200, "plan", "Pro"},
		{"/agent/api/insights?email=nobody@example.com", "Bearer t", 200, "email", "nobody@example.com"},
		{"/agent/api/insights?email=gone@example.com", "Bearer t", 404, "error", "not_found"},
		{"/agent/api/insights?email=slow@example.com", "Bearer t", 429, "message", "Polar is busy"},
		{"/agent/api/insights?email=boom@example.com", "Bearer t", 502, "error", "polar_error"},
		{"/agent/api/insights?email=carol@example.com", "", 401, "error", "unauthorized"},
		{"/agent/api/insights?email=carol@example.com", "Basic dTpw", 401, "error", "unauthorized"},
		{"/agent/api/insights?email=", "Bearer t", 400, "error", "bad_request"},
		{"/agent/api/insights?email=not-an-email", "Bearer t", 400, "message", "that is not an email address"},
	}
	for _, c := range cases {
		status, body := apiCall(t, h, http.MethodGet, c.target, c.auth)
		if status != c.status || body[c.field] != c.want {
			t.Errorf("%s (%q): %d %v, want %d with %s=%q", c.target, c.auth, status, body, c.status, c.field, c.want)
		}
		if msg, _ := body["message"].(string); strings.Contains(msg, "SECRET") || strings.Contains(msg, "10.0.0.1") {
			t.Errorf("%s: internal error text leaked: %q", c.target, msg)
		}
	}
	if status, _ := apiCall(t, h, http.MethodPost, "/agent/api/insights?email=carol@example.com", "Bearer t"); status != 405 {
		t.Errorf("POST: %d", status)
	}
}

// The stream says ready, relays each update, keeps alive, and ends (and
// unsubscribes) when the agent goes away.
func TestEventsStream(t *testing.T) {
	updates := make(chan struct{})
	unsubscribed := make(chan string, 1)
	h := NewEvents(EventsConfig{
		KeepAlive: 50 * time.Millisecond,
		Subscribe: func(ctx context.Context, email string) (<-chan struct{}, func()) {
			return updates, func() { unsubscribed <- email }
		},
	})
	srv := httptest.NewServer(h)
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/agent/api/events?email=carol@example.com", nil)
	req.Header.Set("Authorization", "Bearer agent")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("Content-Type %q", ct)
	}
	lines := bufio.NewScanner(res.Body)
	waitFor := func(want string) {
		t.Helper()
		for lines.Scan() {
			if lines.Text() == want {
				return
			}
		}
		t.Fatalf("stream ended before %q: %v", want, lines.Err())
	}
	waitFor("event: ready")
	waitFor(": keep-alive")
	updates <- struct{}{}
	waitFor("event: update")
	cancel()
	select {
	case email := <-unsubscribed:
		if email != "carol@example.com" {
			t.Errorf("subscribed for %q", email)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the stream did not end when the agent went away")
	}
}

func TestEventsRefusals(t *testing.T) {
	h := NewEvents(EventsConfig{Subscribe: func(context.Context, string) (<-chan struct{}, func()) {
		t.Error("subscribed for a refused request")
		return nil, nil
	}})
	if status, _ := apiCall(t, h, http.MethodGet, "/agent/api/events?email=carol@example.com", ""); status != 401 {
		t.Errorf("no token: %d", status)
	}
	if status, _ := apiCall(t, h, http.MethodGet, "/agent/api/events", "Bearer t"); status != 400 {
		t.Errorf("no email: %d", status)
	}
	if status, _ := apiCall(t, NewEvents(EventsConfig{}), http.MethodGet, "/agent/api/events?email=a@b.c", "Bearer t"); status != 501 {
		t.Errorf("no subscription source: %d", status)
	}
}

// A subscription that closes its channel ends the stream.
func TestEventsEndWhenSubscriptionCloses(t *testing.T) {
	closed := make(chan struct{})
	close(closed)
	h := NewEvents(EventsConfig{Subscribe: func(context.Context, string) (<-chan struct{}, func()) { return closed, nil }})
	req := httptest.NewRequest(http.MethodGet, "/agent/api/events?email=a@b.c", nil)
	req.Header.Set("Authorization", "Bearer t")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req) // returns: the test would hang otherwise
	if !strings.Contains(rec.Body.String(), "event: ready") || strings.Contains(rec.Body.String(), "event: update") {
		t.Errorf("body %q", rec.Body.String())
	}
}
