package hosted

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"sync"
)

// drain counts the work Shutdown waits for: MCP POSTs being handled, and
// SSE calls whose answer has not yet been written to their stream (the SSE
// transport answers a POST with 202 at once and runs the call after).
type drain struct {
	mu       sync.Mutex
	stopping bool
	busy     int
	idle     chan struct{}              // closed whenever busy == 0
	pending  map[string]map[string]bool // SSE session → ids of unanswered calls
}

func newDrain() *drain {
	idle := make(chan struct{})
	close(idle)
	return &drain{idle: idle, pending: map[string]map[string]bool{}}
}

func (d *drain) inc() {
	if d.busy == 0 {
		d.idle = make(chan struct{})
	}
	d.busy++
}

func (d *drain) dec() {
	d.busy--
	if d.busy == 0 {
		close(d.idle)
	}
}

// begin admits a request, unless shutting down.
func (d *drain) begin() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stopping {
		return false
	}
	d.inc()
	return true
}

// end marks an admitted request done.
func (d *drain) end() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.dec()
}

func (d *drain) closing() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.stopping
}

// openStream starts tracking the calls of an SSE session.
func (d *drain) openStream(session string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.pending[session] = map[string]bool{}
}

// holds reports whether this replica serves the SSE session's stream.
func (d *drain) holds(session string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	_, ok := d.pending[session]
	return ok
}

// closeStream stops tracking an SSE session: its unanswered calls can no
// longer be answered.
func (d *drain) closeStream(session string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for range d.pending[session] {
		d.dec()
	}
	delete(d.pending, session)
}

// expect records a call on an SSE session whose answer is due on its
// stream. Calls on sessions without a stream are not tracked: mcp-go
// refuses them.
func (d *drain) expect(session, id string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	calls, ok := d.pending[session]
	if !ok || calls[id] {
		return
	}
	calls[id] = true
	d.inc()
}

// answered marks the call with that id answered on the session's stream.
func (d *drain) answered(session, id string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if calls := d.pending[session]; calls[id] {
		delete(calls, id)
		d.dec()
	}
}

// wait stops admitting requests and waits until none is in flight.
func (d *drain) wait(ctx context.Context) error {
	d.mu.Lock()
	d.stopping = true
	idle := d.idle
	d.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// stream is the SSE stream a GET opened; the session id generator fills
// in its id.
type stream struct {
	id      string
	release func() // ends the Relay's announcement of the stream
}

type streamKey struct{}

// serveStream serves an SSE stream, watching what it writes for the
// answers to tracked calls.
func (h *Handler) serveStream(w http.ResponseWriter, r *http.Request, next http.Handler) {
	st := &stream{}
	defer func() {
		if st.id != "" {
			h.drain.closeStream(st.id)
		}
		if st.release != nil {
			st.release()
		}
	}()
	ctx := context.WithValue(r.Context(), streamKey{}, st)
	next.ServeHTTP(&streamWriter{ResponseWriter: w, drain: h.drain, stream: st}, r.WithContext(ctx))
}

// expectResponse records, when msg (the body of an SSE POST) is a request
// (it has a method and an id), that its answer is due on the stream.
func (h *Handler) expectResponse(r *http.Request, msg message) {
	if msg.Method == "" {
		return
	}
	if id, ok := canonicalID(msg.ID); ok {
		h.drain.expect(r.URL.Query().Get("sessionId"), id)
	}
}

// canonicalID renders a JSON-RPC id the same way whether it was read from
// a request or from its answer.
func canonicalID(raw json.RawMessage) (string, bool) {
	var v any
	if len(raw) == 0 || json.Unmarshal(raw, &v) != nil || v == nil {
		return "", false
	}
	out, err := json.Marshal(v)
	return string(out), err == nil
}

// streamWriter passes an SSE stream through, and tells drain when an
// answer (a message with an id and no method) has been written.
type streamWriter struct {
	http.ResponseWriter
	drain  *drain
	stream *stream
}

// messagePrefix starts every message event mcp-go writes on an SSE stream.
const messagePrefix = "event: message\ndata: "

func (s *streamWriter) Write(p []byte) (int, error) {
	n, err := s.ResponseWriter.Write(fixEvent(p, false))
	if err == nil {
		n = len(p)
	}
	if data, ok := bytes.CutPrefix(p, []byte(messagePrefix)); ok && s.stream.id != "" {
		var msg struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
		}
		if json.Unmarshal(bytes.TrimSpace(data), &msg) == nil && msg.Method == "" {
			if id, ok := canonicalID(msg.ID); ok {
				s.drain.answered(s.stream.id, id)
			}
		}
	}
	return n, err
}

// Flush implements http.Flusher, which the SSE transport requires.
func (s *streamWriter) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (s *streamWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
