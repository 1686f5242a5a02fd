package fakepolar

import (
	"net/http"
	"net/url"
	"slices"
)

// Request is what the fake remembers of a request it received. It never
// holds the bearer token.
type Request struct {
	Method string
	Path   string
	// Query is the parsed query string.
	Query url.Values
	// PolarVersion is the Polar-Version header, if any.
	PolarVersion string
	// Authorized reports whether an Authorization header was present.
	Authorized bool
}

// Requests returns the requests received since the last ResetRequests,
// oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		r.Query = cloneValues(r.Query)
		out[i] = r
	}
	return out
}

// RequestCount returns how many requests were received since the last
// ResetRequests.
func (s *Server) RequestCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

func (s *Server) record(r *http.Request) {
	req := Request{
		Method:       r.Method,
		Path:         r.URL.Path,
		Query:        r.URL.Query(),
		PolarVersion: r.Header.Get("Polar-Version"),
		Authorized:   r.Header.Get("Authorization") != "",
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, req)
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}
