package fakepolar

import (
	"net/http"
	"strings"
	"time"
)

// Fault makes matching requests fail or slow down. Faults are checked in
// the order they were injected, before authentication and routing.
type Fault struct {
	// Method matches the request method; empty matches any.
	Method string
	// Path matches requests whose path starts with it; empty matches all.
	Path string
	// Status is the status to answer with, with the body Polar sends for
	// it: 401, 403, 404, 422, 429, 5xx... Zero answers normally, after
	// Delay.
	Status int
	// Scope names the missing scope of an injected 403.
	Scope string
	// RetryAfter is sent as Retry-After (whole seconds, at least 1) with
	// 429, and with 5xx when set.
	RetryAfter time.Duration
	// Delay is waited before answering, honouring request cancellation.
	Delay time.Duration
	// Times is how many requests the fault applies to; zero or less means
	// every request until ClearFaults.
	Times int
}

// InjectFault adds f to the faults applied to later requests.
func (s *Server) InjectFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// takeFault returns the first fault matching r, consuming one of its Times.
func (s *Server) takeFault(r *http.Request) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Method != "" && !strings.EqualFold(f.Method, r.Method) {
			continue
		}
		if !strings.HasPrefix(r.URL.Path, f.Path) {
			continue
		}
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return *f, true
	}
	return Fault{}, false
}
