package fakepolar

import (
	"net/http"
	"net/http/httptest"
)

// InMemory is an HTTP client whose requests h serves in the same process:
// the demo needs no network at all.
func InMemory(h http.Handler) *http.Client { return &http.Client{Transport: inMemory{h}} }

// inMemory is the http.RoundTripper of InMemory.
type inMemory struct{ h http.Handler }

// RoundTrip implements http.RoundTripper.
func (t inMemory) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	res := rec.Result()
	res.Request = r
	return res, nil
}
