package hosted

import (
	"net/http"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
)

// Authenticate wraps next, an HTTP API served beside the MCP endpoints
// (the agent panel's), in the checks an MCP request gets before it reaches
// mcp-go: Host (DNS rebinding), Origin, and the bearer token verified for
// the connection the request was routed to, with the same secret,
// audience and lifetime rules and the same refusals (401 with a Bearer
// challenge, 404 for an unknown connection). next runs with the caller's
// identity and the connection's collaborators (Connection.Bind) in the
// request's context, as a tool call does. Mount it under a pattern with
// {connection} in per-connection mode (/c/{connection}/agent/api/...).
// Roles are next's to check.
func (h *Handler) Authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !h.sameSiteWeb(w, r) {
			return
		}
		r, ok := h.authenticate(w, r)
		if !ok {
			return
		}
		next.ServeHTTP(w, r)
	})
}

// AuthenticateStream is Authenticate for a long-lived event stream: it
// also counts against the caller's MaxStreamsPerCaller (429 beyond it)
// and ends when the caller's token expires, as MCP streams do.
func (h *Handler) AuthenticateStream(next http.Handler) http.Handler {
	return h.Authenticate(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.openStream(w, r, routeWebStream, next)
	}))
}

// retryAfterKey is the _meta key of LimitCalls's refusals: the seconds
// until the caller may call again.
const retryAfterKey = "polar-mcp/retry_after_seconds"

// RetryAfter reports whether res is LimitCalls's refusal, and how long
// until the caller may call again (an HTTP API answers it 429).
func RetryAfter(res *mcp.CallToolResult) (time.Duration, bool) {
	if res == nil || !res.IsError || res.Meta == nil {
		return 0, false
	}
	switch s := res.Meta.AdditionalFields[retryAfterKey].(type) {
	case int: // in process
		return time.Duration(s) * time.Second, true
	case float64: // decoded from JSON
		return time.Duration(s) * time.Second, true
	}
	return 0, false
}
