package polarmcp

import (
	"net/http"
	"net/http/httptest"
)

// inMemory is an http.RoundTripper that serves requests with a handler in
// the same process: the demo needs no network at all.
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
