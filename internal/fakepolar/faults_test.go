package fakepolar

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestInjectedFaults(t *testing.T) {
	for _, tc := range []struct {
		fault     Fault
		wantKey   string
		wantValue string
		header    string
		hvalue    string
	}{
		{Fault{Status: 401}, "error", "invalid_token", "WWW-Authenticate", `Bearer error="invalid_token"`},
		{Fault{Status: 403, Scope: "orders:read"}, "error", "insufficient_scope", "WWW-Authenticate",
			`Bearer error="insufficient_scope", scope="orders:read"`},
		{Fault{Status: 404}, "error", "ResourceNotFound", "", ""},
		{Fault{Status: 429, RetryAfter: 42 * time.Second}, "detail", "Rate limit exceeded", "Retry-After", "42"},
		{Fault{Status: 429}, "error", "Too Many Requests", "Retry-After", "1"},
		{Fault{Status: 500}, "detail", "Internal Server Error", "", ""},
		{Fault{Status: 502}, "detail", "Internal Server Error", "", ""},
		{Fault{Status: 503, RetryAfter: 5 * time.Second}, "detail", "Internal Server Error", "Retry-After", "5"},
	} {
		s, hs := newTestServer(t, demoFS(t), Options{})
		s.InjectFault(tc.fault)
		r := get(t, hs, "/v1/customers/")
		if r.status != tc.fault.Status || r.body[tc.wantKey] != tc.wantValue {
			t.Errorf("fault %d: %d %s, want %d with %s=%q", tc.fault.Status, r.status, r.raw, tc.fault.Status,
				tc.wantKey, tc.wantValue)
		}
		if tc.header != "" && r.header.Get(tc.header) != tc.hvalue {
			t.Errorf("fault %d: %s %q, want %q", tc.fault.Status, tc.header, r.header.Get(tc.header), tc.hvalue)
		}
	}
	s, hs := newTestServer(t, demoFS(t), Options{})
	s.InjectFault(Fault{Status: 422})
	if r := get(t, hs, "/v1/orders/"); r.status != 422 || r.body["detail"].([]any)[0].(map[string]any)["loc"] == nil {
		t.Errorf("fault 422: %d %s, want an HTTPValidationError", r.status, r.raw)
	}
}

func TestFaultMatchingAndTimes(t *testing.T) {
	s, hs := newTestServer(t, demoFS(t), Options{})
	s.InjectFault(Fault{Path: "/v1/orders/", Status: 503, Times: 2})
	s.InjectFault(Fault{Method: "POST", Status: 500})
	statuses := func(path string) int { return get(t, hs, path).status }
	if got := statuses("/v1/customers/"); got != 200 {
		t.Errorf("other path: %d, want 200", got)
	}
	for i := 0; i < 2; i++ {
		if got := statuses("/v1/orders/?limit=1"); got != 503 {
			t.Errorf("orders #%d: %d, want 503", i+1, got)
		}
	}
	if got := statuses("/v1/orders/"); got != 200 {
		t.Errorf("orders after Times ran out: %d, want 200", got)
	}
	body := `{"customer_id":"` + aliceID + `"}`
	for i := 0; i < 3; i++ {
		if r := do(t, "POST", hs.URL+"/v1/customer-sessions/", DemoToken, body); r.status != 500 {
			t.Errorf("POST #%d: %d, want 500 until cleared", i+1, r.status)
		}
	}
	s.ClearFaults()
	if r := do(t, "POST", hs.URL+"/v1/customer-sessions/", DemoToken, body); r.status != 201 {
		t.Errorf("POST after ClearFaults: %d, want 201", r.status)
	}
}

// waitRequests blocks until the server has received n requests.
func waitRequests(t *testing.T, s *Server, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for s.RequestCount() < n {
		if time.Now().After(deadline) {
			t.Fatalf("server received %d requests, want %d", s.RequestCount(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestDelaysHonourCancellation: a slow answer (Latency or a delay fault)
// is abandoned, with nothing written, when the request is canceled.
func TestDelaysHonourCancellation(t *testing.T) {
	for name, opts := range map[string]struct {
		opts  Options
		fault *Fault
	}{
		"latency":     {Options{Latency: time.Hour}, nil},
		"fault delay": {Options{}, &Fault{Delay: time.Hour}},
		"slow 503":    {Options{}, &Fault{Delay: time.Hour, Status: 503}},
	} {
		s, err := New(demoFS(t), opts.opts)
		if err != nil {
			t.Fatal(err)
		}
		if opts.fault != nil {
			s.InjectFault(*opts.fault)
		}
		ctx, cancel := context.WithCancel(context.Background())
		req := httptest.NewRequestWithContext(ctx, "GET", "/v1/customers/", nil)
		req.Header.Set("Authorization", "Bearer "+DemoToken)
		rec := httptest.NewRecorder()
		done := make(chan struct{})
		go func() {
			s.ServeHTTP(rec, req)
			close(done)
		}()
		waitRequests(t, s, 1)
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: handler still running after cancellation", name)
		}
		if rec.Body.Len() != 0 {
			t.Errorf("%s: wrote %q to a canceled request", name, rec.Body.String())
		}
	}
}

func TestDelayFaultStillAnswers(t *testing.T) {
	s, hs := newTestServer(t, demoFS(t), Options{Latency: time.Millisecond})
	s.InjectFault(Fault{Delay: time.Millisecond, Times: 1})
	if r := get(t, hs, "/v1/customers/?email=bob@example.com"); r.status != 200 || r.ids()[0] != bobID {
		t.Errorf("slow answer: %d %s", r.status, r.raw)
	}
}

func TestRateLimit(t *testing.T) {
	// The fake's clock (testkit.Clock cannot be used here: testkit
	// imports this package).
	var elapsed atomic.Int64
	start := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	_, hs := newTestServer(t, demoFS(t), Options{
		RateLimit: 3,
		Now:       func() time.Time { return start.Add(time.Duration(elapsed.Load())) },
		Tokens:    map[string][]string{"a": AllScopes(), "b": AllScopes()},
	})
	for i := 0; i < 3; i++ {
		if r := do(t, "GET", hs.URL+"/v1/products/", "a", ""); r.status != 200 {
			t.Fatalf("request %d: %d, want 200", i+1, r.status)
		}
	}
	r := do(t, "GET", hs.URL+"/v1/products/", "a", "")
	if r.status != 429 || r.header.Get("Retry-After") != "60" || r.body["error"] != "Too Many Requests" {
		t.Errorf("4th request: %d Retry-After %q %s, want 429, 60", r.status, r.header.Get("Retry-After"), r.raw)
	}
	if r := do(t, "GET", hs.URL+"/v1/products/", "b", ""); r.status != 200 {
		t.Errorf("another token: %d, want its own budget", r.status)
	}
	elapsed.Add(int64(45 * time.Second))
	r = do(t, "GET", hs.URL+"/v1/products/", "a", "")
	if r.status != 429 || r.header.Get("Retry-After") != "15" {
		t.Errorf("45s later: %d Retry-After %q, want 429, 15", r.status, r.header.Get("Retry-After"))
	}
	elapsed.Add(int64(15 * time.Second))
	if r := do(t, "GET", hs.URL+"/v1/products/", "a", ""); r.status != 200 {
		t.Errorf("next minute: %d, want 200", r.status)
	}
	if r := do(t, "GET", hs.URL+"/v1/products/", "unknown", ""); r.status != 401 {
		t.Errorf("unknown token: %d, want 401 rather than 429", r.status)
	}
}

func TestConcurrentUse(t *testing.T) {
	s, hs := newTestServer(t, demoFS(t), Options{})
	paths := []string{
		"/v1/customers/?email=alice@example.com",
		"/v1/customers/" + teamID + "/state",
		"/v1/subscriptions/?customer_id=" + daveID,
		"/v1/orders/?limit=5",
		"/v1/products/",
		"/v1/benefits/",
	}
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for i := 0; i < 60; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if i%10 == 0 {
				s.InjectFault(Fault{Path: "/v1/nothing/", Status: 500, Times: 1})
				_ = s.Requests()
			}
			req, _ := http.NewRequest("GET", hs.URL+paths[i%len(paths)], nil)
			req.Header.Set("Authorization", "Bearer "+DemoToken)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				errs <- err
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				errs <- errors.New(paths[i%len(paths)] + ": " + resp.Status)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := s.RequestCount(); n != 60 {
		t.Errorf("RequestCount %d, want 60", n)
	}
}
