package hosted

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// A session id is "<nonce>.<tag>", where tag is an HMAC of the nonce under
// a key derived from the token secret and the caller (connection, role,
// email, external id and the token's subject: its sub, else its jti, else
// a digest of the token). The caller who opened a session is thus written
// into its id:
// checking that a request's caller owns the session it names needs no
// server state, and works across replicas that share the secret.

// sessionKey binds session ids to the verified caller of a request.
type sessionKey struct {
	key []byte // HMAC key binding session ids to this caller
}

type sessionKeyKey struct{}

func newSessionKey(secret []byte, id caller.Identity) sessionKey {
	mac := hmac.New(sha256.New, secret)
	parts := []string{"polar-mcp session binding v2", id.Connection, string(id.Role),
		caller.NormalizeEmail(id.Email), id.ExternalID, id.Subject}
	if id.MemberExternalID != "" {
		// Two members of one team are two callers.
		parts = append(parts, "member", id.MemberExternalID)
	}
	for _, part := range parts {
		mac.Write([]byte(part))
		mac.Write([]byte{0})
	}
	return sessionKey{key: mac.Sum(nil)}
}

func withSessionKey(ctx context.Context, c sessionKey) context.Context {
	return context.WithValue(ctx, sessionKeyKey{}, c)
}

func sessionKeyFrom(ctx context.Context) (sessionKey, bool) {
	c, ok := ctx.Value(sessionKeyKey{}).(sessionKey)
	return c, ok
}

func (c sessionKey) tag(nonce string) string {
	mac := hmac.New(sha256.New, c.key)
	mac.Write([]byte(nonce))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:16])
}

// newSessionID returns a fresh session id owned by c.
func (c sessionKey) newSessionID() string {
	nonce := rand.Text()
	return nonce + "." + c.tag(nonce)
}

// owns reports whether the session id was issued to c.
func (c sessionKey) owns(sessionID string) bool {
	nonce, tag, ok := strings.Cut(sessionID, ".")
	return ok && nonce != "" && hmac.Equal([]byte(tag), []byte(c.tag(nonce)))
}

// ownsSession refuses, with 403, a request naming a session its caller did
// not open: an SSE POST whose sessionId belongs to another caller's
// stream (the answer would go to that stream), or a Streamable HTTP
// request with another caller's Mcp-Session-Id. Requests of protocol
// 2026-07-28 and later have no sessions and are not checked.
func (h *Handler) ownsSession(w http.ResponseWriter, r *http.Request, rt route) bool {
	var sid string
	switch rt {
	case routeMessage:
		sid = r.URL.Query().Get("sessionId")
	case routeStreamable:
		if !mcp.IsModernProtocol(r.Header.Get(mcp.HeaderProtocolVersion)) {
			sid = r.Header.Get(server.HeaderKeySessionID)
		}
	}
	if sid == "" {
		return true
	}
	if c, ok := sessionKeyFrom(r.Context()); ok && c.owns(sid) {
		return true
	}
	h.log.WarnContext(r.Context(), "refused a request for another caller's session", "path", r.URL.Path)
	writeError(w, http.StatusForbidden, "forbidden",
		"this session was opened with another identity; open a new session with your own token")
	return false
}

// newSSESessionID is the SSE server's session id generator. It runs in the
// stream-opening GET, after authentication.
func (h *Handler) newSSESessionID(ctx context.Context, _ *http.Request) (string, error) {
	c, ok := sessionKeyFrom(ctx)
	if !ok {
		return "", errors.New("hosted: SSE stream without a verified caller")
	}
	sid := c.newSessionID()
	if st, ok := ctx.Value(streamKey{}).(*stream); ok {
		st.id = sid
		h.drain.openStream(sid)
		if h.cfg.Relay != nil {
			st.release = h.cfg.Relay.Hold(ctx, sid)
		}
	}
	return sid, nil
}

// sessionResolver gives each Streamable HTTP request a session id manager
// bound to its caller, counting sessions in table.
type sessionResolver struct{ table *sessionTable }

// ResolveSessionIdManager implements server.SessionIdManagerResolver. r is
// nil outside a request (the idle sweep, closing sessions), where ids are
// only terminated.
func (s sessionResolver) ResolveSessionIdManager(r *http.Request) server.SessionIdManager {
	if r == nil {
		return sessionIDs{table: s.table}
	}
	c, ok := sessionKeyFrom(r.Context())
	return sessionIDs{key: c, bound: ok, table: s.table, caller: requestCaller(r), reserved: reservationFrom(r.Context())}
}

// sessionIDs issues and checks the session ids of one caller. Ids are
// checked without state; table counts the live ones.
type sessionIDs struct {
	key      sessionKey
	bound    bool
	table    *sessionTable
	caller   string       // callerKey of the request's caller
	reserved *reservation // the slot guard took for a session this request opens
}

// Generate implements server.SessionIdManager.
func (m sessionIDs) Generate() string {
	if !m.bound {
		return ""
	}
	sid := m.key.newSessionID()
	if m.reserved != nil {
		m.reserved.commit(sid)
	} else {
		m.table.track(m.caller, sid)
	}
	return sid
}

// Validate implements server.SessionIdManager. A session of this caller
// the table does not know (swept idle, or opened on another replica) is
// counted again, and refused when the caller is at the limit.
func (m sessionIDs) Validate(sessionID string) (bool, error) {
	if !m.bound || !m.key.owns(sessionID) {
		return false, errors.New("unknown session")
	}
	if !m.table.track(m.caller, sessionID) {
		return false, errors.New("too many sessions")
	}
	return false, nil
}

// Terminate implements server.SessionIdManager: DELETE, the idle sweep
// and shutdown end the session's count.
func (m sessionIDs) Terminate(sessionID string) (bool, error) {
	m.table.end(sessionID)
	return false, nil
}
