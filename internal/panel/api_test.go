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

// apiCall sends method target with body (a JSON object, or "" for none).
func apiCall(t *testing.T, h http.Handler, method, target, auth, payload string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(payload))
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
	const target = "/agent/api/insights"
	cases := []struct {
		body, auth  string
		status      int
		field, want string
	}{
		{`{"email":"carol@example.com"}`, "Bearer t", 200, "plan", "Pro"},
		{`{"email":"nobody@example.com"}`, "Bearer t", 200, "email", "nobody@example.com"},
		{`{"email":"gone@example.com"}`, "Bearer t", 404, "error", "not_found"},
		{`{"email":"slow@example.com"}`, "Bearer t", 429, "message", "Polar is busy"},
		{`{"email":"boom@example.com"}`, "Bearer t", 502, "error", "polar_error"},
		{`{"email":"carol@example.com"}`, "", 401, "error", "unauthorized"},
		{`{"email":"carol@example.com"}`, "Basic dTpw", 401, "error", "unauthorized"},
		{`{"email":""}`, "Bearer t", 400, "error", "bad_request"},
		{``, "Bearer t", 400, "error", "bad_request"},
		{`{"email":"not-an-email"}`, "Bearer t", 400, "message", "that is not an email address"},
		{`{"email":"carol@example.com"}{"email":"x@y.z"}`, "Bearer t", 400, "error", "bad_request"},
		{`{"email":"carol@example.com","other":1}`, "Bearer t", 400, "error", "bad_request"},
		{`{"email":"` + strings.Repeat("a", 5000) + `@example.com"}`, "Bearer t", 400, "error", "bad_request"},
	}
	for _, c := range cases {
		status, body := apiCall(t, h, http.MethodPost, target, c.auth, c.body)
		if status != c.status || body[c.field] != c.want {
			t.Errorf("%.60s (%q): %d %v, want %d with %s=%q", c.body, c.auth, status, body, c.status, c.field, c.want)
		}
		if msg, _ := body["message"].(string); strings.Contains(msg, "SECRET") || strings.Contains(msg, "10.0.0.1") {
			t.Errorf("%s: internal error text leaked: %q", c.body, msg)
		}
	}
	// The email never travels in a URL: GET is refused, and so is a POST
	// naming it in the query.
	if status, _ := apiCall(t, h, http.MethodGet, target+"?email=carol@example.com", "Bearer t", ""); status != 405 {
		t.Errorf("GET: %d", status)
	}
	if status, body := apiCall(t, h, http.MethodPost, target+"?email=carol@example.com", "Bearer t", `{"email":"carol@example.com"}`); status != 400 ||
		!strings.Contains(body["message"].(string), "never in the URL") {
		t.Errorf("POST with ?email=: %d %v", status, body)
	}
}

// The stream says ready, relays each update, keeps alive, and ends (and
// unsubscribes) when the agent goes away.
func TestEventsStream(t *testing.T) {
	updates := make(chan struct{})
	unsubscribed := make(chan string, 1)
	h := NewEvents(EventsConfig{
		KeepAlive: 50 * time.Millisecond,
		Subscribe: func(ctx context.Context, email string) (<-chan struct{}, func(), error) {
			return updates, func() { unsubscribed <- email }, nil
		},
	})
	srv := httptest.NewServer(h)
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/agent/api/events", strings.NewReader(`{"email":"carol@example.com"}`))
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
	h := NewEvents(EventsConfig{Subscribe: func(context.Context, string) (<-chan struct{}, func(), error) {
		t.Error("subscribed for a refused request")
		return nil, nil, nil
	}})
	if status, _ := apiCall(t, h, http.MethodPost, "/agent/api/events", "", `{"email":"carol@example.com"}`); status != 401 {
		t.Errorf("no token: %d", status)
	}
	if status, _ := apiCall(t, h, http.MethodPost, "/agent/api/events", "Bearer t", ""); status != 400 {
		t.Errorf("no email: %d", status)
	}
	if status, _ := apiCall(t, h, http.MethodGet, "/agent/api/events?email=carol@example.com", "Bearer t", ""); status != 405 {
		t.Errorf("GET with the email in the URL: %d", status)
	}
	if status, _ := apiCall(t, NewEvents(EventsConfig{}), http.MethodPost, "/agent/api/events", "Bearer t", `{"email":"a@b.c"}`); status != 501 {
		t.Errorf("no subscription source: %d", status)
	}
	limited := NewEvents(EventsConfig{Subscribe: func(context.Context, string) (<-chan struct{}, func(), error) {
		return nil, nil, &APIError{Status: http.StatusTooManyRequests, Code: "rate_limited", Message: "try again in 20 seconds"}
	}})
	if status, body := apiCall(t, limited, http.MethodPost, "/agent/api/events", "Bearer t", `{"email":"a@b.c"}`); status != 429 || body["error"] != "rate_limited" {
		t.Errorf("a refused subscription: %d %v", status, body)
	}
}

// A subscription that closes its channel ends the stream.
func TestEventsEndWhenSubscriptionCloses(t *testing.T) {
	closed := make(chan struct{})
	close(closed)
	h := NewEvents(EventsConfig{Subscribe: func(context.Context, string) (<-chan struct{}, func(), error) { return closed, nil, nil }})
	req := httptest.NewRequest(http.MethodPost, "/agent/api/events", strings.NewReader(`{"email":"a@b.c"}`))
	req.Header.Set("Authorization", "Bearer t")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req) // returns: the test would hang otherwise
	if !strings.Contains(rec.Body.String(), "event: ready") || strings.Contains(rec.Body.String(), "event: update") {
		t.Errorf("body %q", rec.Body.String())
	}
}
