package hosted

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// authenticate verifies the request's bearer token for the connection it
// was routed to and returns the request with the caller in its context. On
// failure it writes the refusal and returns false.
func (h *Handler) authenticate(w http.ResponseWriter, r *http.Request) (*http.Request, bool) {
	connection := r.PathValue("connection")
	if h.cfg.PerConnection && !validConnection(connection) {
		writeError(w, http.StatusNotFound, "not_found", "unknown connection")
		return r, false
	}
	relayed, isRelayed := relayedFrom(r.Context())
	token, ok := Bearer(r)
	if !ok && !isRelayed {
		h.unauthorized(w, r, connection, &identity.Error{Kind: identity.KindMissingToken})
		return r, false
	}
	conn, err := h.cfg.Resolve(r.Context(), connection)
	secret := conn.Secret
	if err != nil {
		if identity.KindOf(err) == identity.KindUnknownAudience {
			writeError(w, http.StatusNotFound, "not_found", "unknown connection")
			return r, false
		}
		h.log.ErrorContext(r.Context(), "token secret lookup failed", "connection", connection, "err", err)
		writeError(w, http.StatusServiceUnavailable, "unavailable", "cannot verify tokens right now")
		return r, false
	}
	if isRelayed {
		return h.asRelayed(w, r, conn, relayed)
	}
	id, err := h.verify(r.Context(), secret, token, connection)
	if err != nil {
		if identity.KindOf(err) == 0 && h.cfg.Issuer != nil && identity.IssuerSigned(token) {
			h.log.WarnContext(r.Context(), "token issuer unavailable", "err", err)
			writeError(w, http.StatusServiceUnavailable, "unavailable", "cannot verify tokens right now")
			return r, false
		}
		if identity.KindOf(err) == 0 {
			h.log.ErrorContext(r.Context(), "token verification misconfigured", "connection", connection, "err", err)
			writeError(w, http.StatusInternalServerError, "server_error", "token verification is misconfigured")
			return r, false
		}
		h.unauthorized(w, r, connection, err)
		return r, false
	}
	id.Connection = connection
	ctx := caller.With(r.Context(), id)
	ctx = withSessionKey(ctx, newSessionKey(secret, id))
	ctx = withExpiry(ctx, token)
	ctx = withRelayKey(ctx, secret)
	if conn.Bind != nil {
		ctx = conn.Bind(ctx)
	}
	return r.WithContext(ctx), true
}

// asRelayed is authenticate for a POST another replica forwarded, sealed
// (serveRelayed checked the seal with conn's secret): its caller is the
// one that replica verified, for the connection the POST was routed to.
func (h *Handler) asRelayed(w http.ResponseWriter, r *http.Request, conn Connection, c relayedCaller) (*http.Request, bool) {
	id, exp, err := c.identity()
	if err != nil || id.Connection != r.PathValue("connection") {
		writeError(w, http.StatusUnauthorized, "invalid_token", "the relayed caller does not match this connection")
		return r, false
	}
	ctx := caller.With(r.Context(), id)
	ctx = withSessionKey(ctx, newSessionKey(conn.Secret, id))
	if !exp.IsZero() {
		ctx = context.WithValue(ctx, expiryKey{}, exp)
	}
	if conn.Bind != nil {
		ctx = conn.Bind(ctx)
	}
	return r.WithContext(ctx), true
}

// verify sends an issuer-signed token to the issuer, and any other to the
// connection's secret.
func (h *Handler) verify(ctx context.Context, secret []byte, token, connection string) (caller.Identity, error) {
	p := identity.Policy{Audience: connection, MaxTTL: h.cfg.MaxTokenTTL}
	if h.cfg.Issuer != nil && identity.IssuerSigned(token) {
		return h.cfg.Issuer.Verify(ctx, token, p)
	}
	return identity.Verify(secret, token, p)
}

// unauthorized writes a 401 whose WWW-Authenticate points at the
// protected resource metadata (RFC 9728, which MCP 2025-06-18 requires)
// and says why, in error_description, as the JSON body does: a client
// that shows either shows the real reason. A bad token is invalid_token
// (RFC 6750); a missing one carries no error code, as RFC 6750 asks. The
// token is never echoed.
func (h *Handler) unauthorized(w http.ResponseWriter, r *http.Request, connection string, err error) {
	kind := identity.KindOf(err)
	challenge := fmt.Sprintf(`Bearer resource_metadata=%q`, h.metadataURL(connection))
	code, description := "unauthorized", "missing bearer token: send Authorization: Bearer <token>"
	if kind != identity.KindMissingToken {
		code, description = "invalid_token", err.Error()
		challenge += `, error="invalid_token"`
	}
	challenge += fmt.Sprintf(`, error_description=%q`, challengeText(description))
	h.log.InfoContext(r.Context(), "refused caller token", "path", r.URL.Path, "reason", kind.String())
	w.Header().Set("WWW-Authenticate", challenge)
	writeError(w, http.StatusUnauthorized, code, description)
}

// challengeText keeps the characters an auth-param's quoted string may
// carry (RFC 6750: %x20-21 / %x23-5B / %x5D-7E).
func challengeText(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' {
			out = append(out, c)
		}
	}
	return string(out)
}

// Bearer returns the token of an "Authorization: Bearer <token>" header
// (scheme case-insensitive, token trimmed), and false when there is none.
// It is the server's one bearer parser: caller tokens here, the admin key
// in package admin.
func Bearer(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}

// validConnection reports whether id can be a connection id: 1 to 64
// letters, digits, '-' or '_'.
func validConnection(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
