package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
)

// maxRecordedTimes bounds how many request times an upstream remembers.
const maxRecordedTimes = 1_000_000

// upstream is the fake Polar API serving the embedded demo organization on
// a loopback HTTP server, counting what it receives. Its only token is
// fakepolar.DemoToken.
type upstream struct {
	URL  string
	fake *fakepolar.Server
	srv  *httptest.Server

	total     atomic.Int64
	throttled atomic.Int64 // 429 answers

	mu    sync.Mutex
	times []time.Time // arrival of each request, when recording

	emails []string // the customers of a fleet run, the busiest first
}

// startUpstream serves the demo organization with latency added to every
// response and, when perMinute > 0, 429 beyond perMinute requests per
// minute. recordTimes keeps each request's arrival time (rate analysis).
func startUpstream(latency time.Duration, perMinute int, recordTimes bool) (*upstream, error) {
	fake, err := fakepolar.Demo(fakepolar.Options{Latency: latency, RateLimit: perMinute})
	if err != nil {
		return nil, err
	}
	u := &upstream{fake: fake}
	if recordTimes {
		u.times = make([]time.Time, 0, 1024)
	}
	u.srv = httptest.NewServer(http.HandlerFunc(u.serve))
	u.URL = u.srv.URL
	return u, nil
}

// serve counts a request and hands it to the fake.
func (u *upstream) serve(w http.ResponseWriter, r *http.Request) {
	n := u.total.Add(1)
	if u.times != nil {
		u.mu.Lock()
		if len(u.times) < maxRecordedTimes {
			u.times = append(u.times, time.Now())
		}
		u.mu.Unlock()
	}
	if n%10_000 == 0 {
		u.fake.ResetRequests() // the fake's own log would grow without bound
	}
	sw := &statusWriter{ResponseWriter: w}
	u.fake.ServeHTTP(sw, r)
	if sw.status == http.StatusTooManyRequests {
		u.throttled.Add(1)
	}
}

// Requests is how many requests the fake received so far.
func (u *upstream) Requests() int64 { return u.total.Load() }

// Throttled is how many of them it answered 429.
func (u *upstream) Throttled() int64 { return u.throttled.Load() }

// Times returns the arrival times recorded so far, oldest first.
func (u *upstream) Times() []time.Time {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]time.Time(nil), u.times...)
}

// Close stops the server.
func (u *upstream) Close() { u.srv.Close() }

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

// WriteHeader implements http.ResponseWriter.
func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write implements http.ResponseWriter.
func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

// customerID looks a customer up by email directly in the fake, without
// counting the request.
func (u *upstream) customerID(email string) (string, error) {
	req := httptest.NewRequest(http.MethodGet, "/v1/customers/?email="+url.QueryEscape(email), nil)
	req.Header.Set("Authorization", "Bearer "+fakepolar.DemoToken)
	rec := httptest.NewRecorder()
	u.fake.ServeHTTP(rec, req)
	var page struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
		return "", err
	}
	if len(page.Items) == 0 {
		return "", fmt.Errorf("no demo customer %s", email)
	}
	return page.Items[0].ID, nil
}
