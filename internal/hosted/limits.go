package hosted

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// Retry-After values of the 429s: a stream or session slot frees when the
// caller closes one or a session idles out.
const (
	streamRetryAfter  = 30 * time.Second
	sessionRetryAfter = 60 * time.Second
	bodyRetryAfter    = 5 * time.Second
)

// callerKey names one caller for the per-caller limits: the connection,
// role, identity (email, external id) and token subject, as sessions are
// bound. A customer's refreshed token is the same caller.
func callerKey(id caller.Identity) string {
	parts := []string{id.Connection, string(id.Role), caller.NormalizeEmail(id.Email), id.ExternalID, id.Subject}
	if id.MemberExternalID != "" {
		parts = append(parts, "member", id.MemberExternalID) // two members of one team are two callers
	}
	return strings.Join(parts, "\x00")
}

// requestCaller is the key of a request's verified caller.
func requestCaller(r *http.Request) string {
	id, _ := caller.From(r.Context())
	return callerKey(id)
}

// counter counts what each caller holds open (streams).
type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func newCounter() *counter { return &counter{n: map[string]int{}} }

// acquire takes one of key's max slots, or reports false when all are
// taken.
func (c *counter) acquire(key string, max int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n[key] >= max {
		return false
	}
	c.n[key]++
	return true
}

// release gives back a slot acquire took.
func (c *counter) release(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n[key]--; c.n[key] <= 0 {
		delete(c.n, key)
	}
}

// writeTooMany answers 429 with Retry-After.
func writeTooMany(w http.ResponseWriter, retry time.Duration, description string) {
	w.Header().Set("Retry-After", strconv.Itoa(int(retry/time.Second)))
	writeError(w, http.StatusTooManyRequests, "too_many_requests", description)
}
