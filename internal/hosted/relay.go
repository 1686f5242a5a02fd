package hosted

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
)

// Relay carries legacy-SSE message POSTs between replicas. A POST names
// its session's stream, which only the replica that opened it can write
// to; behind a load balancer without sticky sessions it may reach
// another replica, which then hands it to the holder through the Relay
// and passes the holder's answer back. fleet.RedisRelay is one.
type Relay interface {
	// Hold announces that this replica serves session, until release.
	Hold(ctx context.Context, session string) (release func())
	// Forward hands payload to the replica holding session and returns
	// its answer; held is false when no other replica holds it.
	Forward(ctx context.Context, session string, payload []byte) (answer []byte, held bool, err error)
	// Serve answers, with handle, what other replicas forward here,
	// until ctx ends.
	Serve(ctx context.Context, handle func(payload []byte) []byte) error
}

// relayedHeaders are the request headers a forwarded POST keeps; never
// Authorization: the caller goes sealed instead (see relayauth.go), and
// the holder checks everything else again, as if it had come directly.
func relayedHeaders() []string {
	return []string{"Content-Type", "Origin", mcp.HeaderProtocolVersion}
}

// relayedTimeout bounds handling a forwarded POST (an SSE POST is
// answered 202 at once; the call's answer goes to the stream).
const relayedTimeout = 30 * time.Second

type relayedPost struct {
	Path   string            `json:"path"` // and query
	Header map[string]string `json:"header"`
	Body   []byte            `json:"body"`
	Caller relayedCaller     `json:"caller"` // verified by the forwarder
	Sent   int64             `json:"sent"`   // Unix milliseconds
}

type relayedAnswer struct {
	Status int               `json:"status"`
	Header map[string]string `json:"header,omitempty"`
	Body   []byte            `json:"body,omitempty"`
}

// answerHeaders are the response headers a forwarded POST's answer keeps.
func answerHeaders() []string {
	return []string{"Content-Type", "WWW-Authenticate", "Retry-After"}
}

// Run serves what other replicas forward to this one (nothing without a
// Relay) until ctx ends.
func (h *Handler) Run(ctx context.Context) {
	if h.cfg.Relay == nil {
		return
	}
	for ctx.Err() == nil {
		if err := h.cfg.Relay.Serve(ctx, h.serveRelayed); err != nil && ctx.Err() == nil {
			h.log.Warn("relay: serving forwarded SSE messages stopped; retrying", "err", err)
		}
	}
}

// forward hands an SSE message POST for a stream this replica does not
// hold to the one that does, and answers with what it answered. It
// reports false when no replica holds the stream: mcp-go then answers.
func (h *Handler) forward(w http.ResponseWriter, r *http.Request, session string) bool {
	body, _ := io.ReadAll(r.Body) // readBody has read and bounded it
	r.Body = io.NopCloser(bytes.NewReader(body))
	p := relayedPost{Path: r.URL.RequestURI(), Header: pickHeaders(r.Header, relayedHeaders()), Body: body}
	payload, ok := seal(r.Context(), p, time.Now())
	if !ok {
		return false
	}
	raw, held, err := h.cfg.Relay.Forward(r.Context(), session, payload)
	if !held {
		return false
	}
	var a relayedAnswer
	if err == nil {
		err = json.Unmarshal(raw, &a)
	}
	if err != nil || a.Status == 0 {
		h.log.WarnContext(r.Context(), "relay: the replica holding an SSE stream did not answer", "err", err)
		writeError(w, http.StatusBadGateway, "relay_failed", "the server holding this SSE stream did not answer; try again")
		return true
	}
	setHeaders(w.Header(), a.Header, answerHeaders())
	w.WriteHeader(a.Status)
	_, _ = w.Write(a.Body)
	return true
}

// serveRelayed handles a POST another replica forwarded, through every
// check a direct one gets.
func (h *Handler) serveRelayed(payload []byte) []byte {
	ctx, cancel := context.WithTimeout(context.Background(), relayedTimeout)
	defer cancel()
	p, err := unseal(payload, time.Now(), func(connection string) ([]byte, error) {
		conn, err := h.cfg.Resolve(ctx, connection)
		return conn.Secret, err
	})
	if err != nil {
		h.log.Warn("relay: a forwarded SSE message was refused", "err", err)
		return nil
	}
	if path, _, _ := strings.Cut(p.Path, "?"); !strings.HasSuffix(path, "/message") {
		return nil // only SSE message POSTs are ever forwarded
	}
	req, err := http.NewRequestWithContext(withRelayed(ctx, p.Caller), http.MethodPost, p.Path, bytes.NewReader(p.Body))
	if err != nil {
		return nil
	}
	req.Host = h.base.Host
	setHeaders(req.Header, p.Header, relayedHeaders())
	rec := &recorder{header: http.Header{}}
	h.ServeHTTP(rec, req)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	a := relayedAnswer{Status: rec.status, Header: pickHeaders(rec.header, answerHeaders()), Body: rec.body.Bytes()}
	out, _ := json.Marshal(a)
	return out
}

// pickHeaders returns the headers of h named in names that are set.
func pickHeaders(h http.Header, names []string) map[string]string {
	out := map[string]string{}
	for _, k := range names {
		if v := h.Get(k); v != "" {
			out[k] = v
		}
	}
	return out
}

// setHeaders sets on h the headers of from named in names: only those
// are ever taken from a relayed message.
func setHeaders(h http.Header, from map[string]string, names []string) {
	for _, k := range names {
		if v, ok := from[k]; ok {
			h.Set(k, v)
		}
	}
}

// recorder is the http.ResponseWriter of a forwarded POST.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(p)
}
