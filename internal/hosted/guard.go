package hosted

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// route is which MCP endpoint a guard protects.
type route int

const (
	routeStream     route = iota // GET /sse: the legacy SSE stream
	routeMessage                 // POST /message: a legacy SSE call
	routeStreamable              // /mcp: Streamable HTTP
	routeWebStream               // an HTTP API's event stream (AuthenticateStream)
)

// sameSite refuses, with 403, a request whose Host is not this server's
// (DNS rebinding) or whose Origin is not allowed.
func (h *Handler) sameSite(w http.ResponseWriter, r *http.Request) bool {
	if !h.hostAllowed(r) {
		writeError(w, http.StatusForbidden, "forbidden", fmt.Sprintf("invalid Host header %q", r.Host))
		return false
	}
	if origin := r.Header.Get("Origin"); !h.origins.allows(origin) {
		writeError(w, http.StatusForbidden, "forbidden", fmt.Sprintf("origin %q is not allowed", origin))
		return false
	}
	return true
}

// guard runs the checks every MCP request goes through before mcp-go sees
// it: Host (DNS rebinding), Origin, CORS preflight, the bearer token, the
// session's owner, admission while shutting down, the per-caller stream
// and session limits, and the POST body (see readBody).
func (h *Handler) guard(rt route, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !h.sameSite(w, r) {
			return
		}
		if r.Method == http.MethodOptions {
			h.preflight(w, r, next)
			return
		}
		r, ok := h.authenticate(w, r)
		if !ok {
			return
		}
		if !methodAllowed(w, r, rt) {
			return
		}
		if !h.ownsSession(w, r, rt) {
			return
		}
		switch {
		case rt == routeStream || (rt == routeStreamable && r.Method == http.MethodGet):
			if h.drain.closing() {
				writeShuttingDown(w)
				return
			}
			h.openStream(w, r, rt, next)
		case r.Method == http.MethodPost:
			if !h.drain.begin() {
				writeShuttingDown(w)
				return
			}
			defer h.drain.end()
			msg, ok := h.readBody(w, r, rt)
			if !ok {
				return
			}
			if rt == routeMessage {
				if sid := r.URL.Query().Get("sessionId"); h.cfg.Relay != nil && !h.drain.holds(sid) && h.forward(w, r, sid) {
					return // the replica holding the stream answered
				}
				h.expectResponse(r, msg)
			} else if msg.Method == string(mcp.MethodInitialize) {
				if r, ok = h.reserveSession(w, r); !ok {
					return
				}
			} else if needsSession(r) {
				writeError(w, http.StatusBadRequest, "invalid_request",
					"missing Mcp-Session-Id header: send initialize first, then the session id it returns with every request")
				return
			}
			if h.refuseEarly(w, r, rt, msg) {
				return
			}
			if msg.batch != nil {
				h.serveBatch(w, r, msg.batch, next)
				return
			}
			if rt == routeStreamable {
				var out http.ResponseWriter = &fixingWriter{ResponseWriter: w, modern: mcp.IsModernProtocol(r.Header.Get(mcp.HeaderProtocolVersion))}
				if msg.isResponse() {
					out = &acceptingWriter{ResponseWriter: out}
				}
				next.ServeHTTP(out, r)
				return
			}
			next.ServeHTTP(w, r)
		case rt == routeStreamable && r.Method == http.MethodDelete && !mcp.IsModernProtocol(r.Header.Get(mcp.HeaderProtocolVersion)):
			h.endSession(w, r, next)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// needsSession reports whether a Streamable HTTP POST that is not an
// initialize must name its session: every one before protocol 2026-07-28.
func needsSession(r *http.Request) bool {
	return r.Header.Get(server.HeaderKeySessionID) == "" && !mcp.IsModernProtocol(r.Header.Get(mcp.HeaderProtocolVersion))
}

// allowedMethods are the HTTP methods each MCP endpoint answers (OPTIONS,
// for CORS preflights, aside).
func allowedMethods(rt route) []string {
	switch rt {
	case routeStream:
		return []string{http.MethodGet}
	case routeMessage:
		return []string{http.MethodPost}
	default:
		return []string{http.MethodGet, http.MethodPost, http.MethodDelete}
	}
}

// methodAllowed refuses, with 405 and Allow, a method the endpoint does
// not answer (after authentication: an unknown connection or a bad token
// is refused first, as for any method).
func methodAllowed(w http.ResponseWriter, r *http.Request, rt route) bool {
	allowed := allowedMethods(rt)
	if slices.Contains(allowed, r.Method) || (r.Method == http.MethodHead && rt == routeStreamable) {
		return true
	}
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	writeError(w, http.StatusMethodNotAllowed, "method_not_allowed",
		fmt.Sprintf("%s is not answered here; use %s", r.Method, strings.Join(allowed, " or ")))
	return false
}

// hostAllowed is DNS rebinding protection: a request that reached a
// loopback address must name a loopback host or BaseURL's host. (mcp-go's
// own check, which is turned off, accepts loopback hosts only and so
// refuses a reverse proxy on the same machine that keeps the Host header.)
func (h *Handler) hostAllowed(r *http.Request) bool {
	local, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok || local == nil || !isLoopback(local.String()) {
		return true
	}
	return isLoopback(r.Host) || strings.EqualFold(r.Host, h.base.Host)
}

func isLoopback(hostport string) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = strings.Trim(hostport, "[]")
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// preflight answers OPTIONS. A CORS preflight from an allowed origin is
// answered by mcp-go's CORS handling; anything else gets 405, without
// reaching an MCP handler unauthenticated.
func (h *Handler) preflight(w http.ResponseWriter, r *http.Request, next http.Handler) {
	if h.origins.cors() != nil && r.Header.Get("Origin") != "" && r.Header.Get("Access-Control-Request-Method") != "" {
		next.ServeHTTP(w, r)
		return
	}
	w.Header().Set("Allow", "GET, POST, DELETE")
	writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "OPTIONS is only answered to CORS preflights from allowed origins")
}

// origins is the Origin policy.
type origins struct {
	self   string   // BaseURL's origin, always allowed
	listed []string // Config.AllowedOrigins, normalized
	any    bool     // "*" was listed
}

// ErrInvalidOrigin is the error of an allowed origin that is not
// scheme://host[:port] (a configuration error).
var ErrInvalidOrigin = errors.New("an allowed origin must be scheme://host[:port]")

func parseOrigins(list []string, base *url.URL) (origins, error) {
	o := origins{self: strings.ToLower(base.Scheme + "://" + base.Host)}
	for _, raw := range list {
		if raw == "*" {
			o.any = true
			o.listed = append(o.listed, raw)
			continue
		}
		u, err := url.Parse(strings.TrimSuffix(raw, "/"))
		if err != nil || u.Scheme == "" || u.Host == "" || u.Path != "" || u.RawQuery != "" {
			return origins{}, fmt.Errorf("%w, such as https://%s, not %q", ErrInvalidOrigin, strings.Trim(raw, "/"), raw)
		}
		o.listed = append(o.listed, strings.ToLower(u.Scheme+"://"+u.Host))
	}
	return o, nil
}

// allows reports whether a request with this Origin header may proceed.
func (o origins) allows(origin string) bool {
	if origin == "" || o.any {
		return true
	}
	origin = strings.ToLower(origin)
	return origin == o.self || slices.Contains(o.listed, origin)
}

// cors is mcp-go's CORS configuration for the listed origins, nil when
// none are listed.
func (o origins) cors() []server.CORSOption {
	if len(o.listed) == 0 {
		return nil
	}
	return []server.CORSOption{
		server.WithCORSAllowedOrigins(o.listed...),
		server.WithCORSAllowedHeaders("Authorization", "Content-Type", server.HeaderKeySessionID,
			mcp.HeaderProtocolVersion, mcp.HeaderLastEventID, mcp.HeaderMethod, mcp.HeaderName),
		server.WithCORSExposedHeaders(server.HeaderKeySessionID, "WWW-Authenticate"),
	}
}

// errorBody is the JSON body of every MCP endpoint refusal: OAuth's
// {error, error_description} (RFC 6749 section 5.2, RFC 6750).
type errorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// writeError writes an MCP endpoint refusal in OAuth's shape.
func writeError(w http.ResponseWriter, status int, code, description string) {
	WriteJSON(w, status, errorBody{Error: code, Description: description})
}

// WriteJSON writes v as a JSON response with status, never cached. It is
// the server's one JSON writer: the MCP endpoints' OAuth-shaped refusals
// and the admin API (package admin), whose errors are {error, message},
// both go through it.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeShuttingDown(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "1")
	writeError(w, http.StatusServiceUnavailable, "shutting_down", "the server is shutting down; retry shortly")
}
