package hosted

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/server"
)

// DefaultSessionMaxAge is how long a Streamable HTTP session id is
// accepted when Config.SessionMaxAge is zero. A client presenting an
// older one gets 404 and initializes a new session, as the specification
// asks of every client.
const DefaultSessionMaxAge = 7 * 24 * time.Hour

// maxEndedSessions bounds the sessions remembered as ended (a few MB).
// Beyond it, DELETE answers 405: the session is not ended, and the client
// is told so, as the specification allows.
const maxEndedSessions = 100_000

// endedSessions remembers the Streamable HTTP sessions a client ended
// with DELETE, so that their ids answer 404 afterwards. Ids are otherwise
// checked without state (see session.go), so an ended one is kept until
// it would have expired anyway (its issue time plus the maximum age).
type endedSessions struct {
	mu      sync.Mutex
	max     int
	until   map[string]time.Time       // session id → when it expires anyway
	streams map[string]map[*int]func() // session id → cancels of its open GET streams
}

func newEndedSessions(max int) *endedSessions {
	return &endedSessions{max: max, until: map[string]time.Time{}, streams: map[string]map[*int]func(){}}
}

// end records that sessionID ended, until expires, and closes its open GET
// streams. It reports false, recording nothing, when too many are
// remembered.
func (e *endedSessions) end(sessionID string, expires, now time.Time) bool {
	e.mu.Lock()
	if _, ok := e.until[sessionID]; !ok {
		if len(e.until) >= e.max {
			e.sweep(now)
		}
		if len(e.until) >= e.max {
			e.mu.Unlock()
			return false
		}
		e.until[sessionID] = expires
	}
	cancels := e.streams[sessionID]
	delete(e.streams, sessionID)
	e.mu.Unlock()
	for _, cancel := range cancels {
		cancel()
	}
	return true
}

// sweep drops the ended sessions that have expired anyway. e.mu is held.
func (e *endedSessions) sweep(now time.Time) {
	for id, until := range e.until {
		if now.After(until) {
			delete(e.until, id)
		}
	}
}

// ended reports whether sessionID was ended.
func (e *endedSessions) ended(sessionID string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, ok := e.until[sessionID]
	return ok
}

// stream registers an open GET stream of sessionID, which cancel closes;
// the returned func unregisters it. It reports false when the session has
// ended already.
func (e *endedSessions) stream(sessionID string, cancel func()) (func(), bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.until[sessionID]; ok {
		return nil, false
	}
	key := new(int)
	if e.streams[sessionID] == nil {
		e.streams[sessionID] = map[*int]func(){}
	}
	e.streams[sessionID][key] = cancel
	return func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		delete(e.streams[sessionID], key)
		if len(e.streams[sessionID]) == 0 {
			delete(e.streams, sessionID)
		}
	}, true
}

// sessionExpires is when a session id stops being accepted.
func (h *Handler) sessionExpires(sessionID string) time.Time {
	issued, ok := sessionIssued(sessionID)
	if !ok {
		return time.Now()
	}
	return issued.Add(h.cfg.SessionMaxAge)
}

// endSession serves DELETE /mcp (protocols before 2026-07-28): the
// session, which guard has checked is the caller's, is ended for good
// (its id answers 404 from now on, and its open GET streams close), then
// mcp-go drops its state.
func (h *Handler) endSession(w http.ResponseWriter, r *http.Request, next http.Handler) {
	sid := r.Header.Get(server.HeaderKeySessionID)
	if sid == "" {
		writeError(w, http.StatusBadRequest, "invalid_request", "DELETE needs the Mcp-Session-Id header of the session to end")
		return
	}
	if !h.ended.end(sid, h.sessionExpires(sid), time.Now()) {
		w.Header().Set("Allow", "GET, POST")
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed",
			"the server cannot end sessions right now; the session stays open until it is idle")
		return
	}
	next.ServeHTTP(w, r)
}

// watchSession makes a GET /mcp stream of a session close when the
// session is ended. It returns the request to serve, and false when the
// session has ended already (the answer, 404, is written).
func (h *Handler) watchSession(w http.ResponseWriter, r *http.Request) (*http.Request, func(), bool) {
	sid := r.Header.Get(server.HeaderKeySessionID)
	if sid == "" {
		return r, func() {}, true
	}
	ctx, cancel := context.WithCancel(r.Context())
	done, ok := h.ended.stream(sid, cancel)
	if !ok {
		cancel()
		writeSessionNotFound(w, "this session has ended; initialize a new one")
		return r, nil, false
	}
	return r.WithContext(ctx), func() { done(); cancel() }, true
}

// writeSessionNotFound answers a request naming a session that does not
// exist (any more): 404, on which the client initializes a new one.
func writeSessionNotFound(w http.ResponseWriter, why string) {
	writeError(w, http.StatusNotFound, "session_not_found", why)
}
