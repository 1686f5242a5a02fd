package hosted

import (
	"context"
	"net/http"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/internal/identity"
)

type expiryKey struct{}

// withExpiry records the exp of the request's verified token.
func withExpiry(ctx context.Context, token string) context.Context {
	exp, err := identity.Expiry(token)
	if err != nil {
		return ctx
	}
	return context.WithValue(ctx, expiryKey{}, exp)
}

func expiryFrom(ctx context.Context) (time.Time, bool) {
	exp, ok := ctx.Value(expiryKey{}).(time.Time)
	return exp, ok
}

// openStream serves an SSE stream (GET /sse, or GET /mcp): within the
// caller's MaxStreamsPerCaller, and only until the caller's token
// expires, when the stream ends (the client reconnects with a fresh
// token). A stream-opening GET /mcp without a session id opens a session,
// counted like an initialize.
func (h *Handler) openStream(w http.ResponseWriter, r *http.Request, rt route, next http.Handler) {
	key := requestCaller(r)
	if !h.streams.acquire(key, h.cfg.MaxStreamsPerCaller) {
		h.log.InfoContext(r.Context(), "refused a stream over the per-caller limit", "path", r.URL.Path)
		writeTooMany(w, streamRetryAfter, "too many open streams for this caller; close one first")
		return
	}
	defer h.streams.release(key)
	if exp, ok := expiryFrom(r.Context()); ok {
		if !time.Now().Before(exp) {
			h.unauthorized(w, r, r.PathValue("connection"), &identity.Error{Kind: identity.KindExpired, Detail: "streams end when the token expires"})
			return
		}
		ctx, cancel := context.WithDeadline(r.Context(), exp)
		defer cancel()
		r = r.WithContext(ctx)
	}
	if rt == routeStream {
		h.serveStream(w, r, next)
		return
	}
	if rt == routeStreamable && r.Header.Get(server.HeaderKeySessionID) == "" {
		var ok bool
		if r, ok = h.reserveSession(w, r); !ok {
			return
		}
	}
	if rt == routeStreamable {
		var stop func()
		var ok bool
		if r, stop, ok = h.watchSession(w, r); !ok {
			return
		}
		defer stop()
	}
	next.ServeHTTP(w, r)
}

// reserveSession takes one of the caller's MaxSessionsPerCaller session
// slots for a request that opens a Streamable HTTP session (the
// session id manager fills it, or it is given back when the request
// ends), or refuses with 429. Requests of protocol 2026-07-28 and later
// have no sessions and pass.
func (h *Handler) reserveSession(w http.ResponseWriter, r *http.Request) (*http.Request, bool) {
	if mcp.IsModernProtocol(r.Header.Get(mcp.HeaderProtocolVersion)) {
		return r, true
	}
	res, ok := h.sessions.reserve(requestCaller(r))
	if !ok {
		h.log.InfoContext(r.Context(), "refused a session over the per-caller limit", "path", r.URL.Path)
		writeTooMany(w, sessionRetryAfter, "too many open sessions for this caller; end one (DELETE) or wait for one to expire")
		return r, false
	}
	context.AfterFunc(r.Context(), res.release)
	return r.WithContext(withReservation(r.Context(), res)), true
}
