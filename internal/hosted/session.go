package hosted

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// A session id is "<nonce>.<tag>.<stamp>". The nonce is the time it was
// issued (seconds, base 36), '-', and random text. The tag is an HMAC of
// the nonce under a key derived from the token secret and the caller
// (connection, role, email, external id and the token's subject: its sub,
// else its jti, else a digest of the token): the caller who opened a
// session is thus written into its id. The stamp is an HMAC of nonce and
// tag under a key derived from the token secret alone: it tells a session
// this server issued to some caller from an id that was made up or
// altered. Checking a request's session needs no server state, and works
// across replicas that share the secret; only the sessions ended with
// DELETE are remembered (see endedSessions).

// sessionKey binds session ids to the verified caller of a request.
type sessionKey struct {
	key    []byte // HMAC key binding session ids to this caller
	issuer []byte // HMAC key stamping every session id of this secret
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
	issuer := hmac.New(sha256.New, secret)
	issuer.Write([]byte("polar-mcp session issuer v1"))
	return sessionKey{key: mac.Sum(nil), issuer: issuer.Sum(nil)}
}

func withSessionKey(ctx context.Context, c sessionKey) context.Context {
	return context.WithValue(ctx, sessionKeyKey{}, c)
}

func sessionKeyFrom(ctx context.Context) (sessionKey, bool) {
	c, ok := ctx.Value(sessionKeyKey{}).(sessionKey)
	return c, ok
}

func mac16(key []byte, parts ...string) string {
	mac := hmac.New(sha256.New, key)
	for _, p := range parts {
		mac.Write([]byte(p))
		mac.Write([]byte{0})
	}
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:16])
}

// newSessionID returns a fresh session id owned by c.
func (c sessionKey) newSessionID() string {
	return c.newSessionIDAt(time.Now())
}

func (c sessionKey) newSessionIDAt(now time.Time) string {
	nonce := strconv.FormatInt(now.Unix(), 36) + "-" + rand.Text()
	tag := mac16(c.key, nonce)
	return nonce + "." + tag + "." + mac16(c.issuer, nonce, tag)
}

// sessionOwner is what a session id is to the caller presenting it.
type sessionOwner int

const (
	sessionUnknown sessionOwner = iota // not issued here (made up, altered, or another secret's)
	sessionOther                       // issued here, to another caller
	sessionMine                        // issued here, to this caller
)

// owner tells whose session the id is.
func (c sessionKey) owner(sessionID string) sessionOwner {
	parts := strings.Split(sessionID, ".")
	if len(parts) != 3 || parts[0] == "" {
		return sessionUnknown
	}
	nonce, tag, stamp := parts[0], parts[1], parts[2]
	if !hmac.Equal([]byte(stamp), []byte(mac16(c.issuer, nonce, tag))) {
		return sessionUnknown
	}
	if !hmac.Equal([]byte(tag), []byte(mac16(c.key, nonce))) {
		return sessionOther
	}
	return sessionMine
}

// owns reports whether the session id was issued to c.
func (c sessionKey) owns(sessionID string) bool {
	return c.owner(sessionID) == sessionMine
}

// sessionIssued is when a well-formed session id was issued.
func sessionIssued(sessionID string) (time.Time, bool) {
	stamp, _, ok := strings.Cut(sessionID, "-")
	if !ok {
		return time.Time{}, false
	}
	sec, err := strconv.ParseInt(stamp, 36, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(sec, 0), true
}

// ownsSession checks the session a request names: an SSE POST's
// sessionId (the answer goes to that session's stream), or a Streamable
// HTTP request's Mcp-Session-Id. A session of another caller is refused
// with 403; an id this server did not issue (made up, altered, of another
// token secret), or a Streamable HTTP session that was ended with DELETE
// or is older than Config.SessionMaxAge, with 404, on which a client
// initializes a new session. Requests of protocol 2026-07-28 and later
// have no sessions and are not checked.
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
	c, _ := sessionKeyFrom(r.Context())
	switch c.owner(sid) {
	case sessionMine:
		if rt != routeStreamable {
			return true
		}
		if h.ended.ended(sid) {
			writeSessionNotFound(w, "this session has ended; initialize a new one")
			return false
		}
		if !time.Now().Before(h.sessionExpires(sid)) {
			writeSessionNotFound(w, "this session has expired; initialize a new one")
			return false
		}
		return true
	case sessionOther:
		h.log.WarnContext(r.Context(), "refused a request for another caller's session", "path", r.URL.Path)
		writeError(w, http.StatusForbidden, "forbidden",
			"this session was opened with another identity; open a new session with your own token")
		return false
	default:
		writeSessionNotFound(w, "no such session; initialize a new one")
		return false
	}
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
