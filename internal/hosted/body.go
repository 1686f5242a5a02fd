package hosted

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
)

// maxInitializeParams bounds the params of an initialize request: client
// info and capabilities are small, and the session keeps them.
const maxInitializeParams = 16 << 10

// message is what guard reads of a POSTed JSON-RPC message.
type message struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
}

// readBody reads a POST body whole, within Config.BodyReadTimeout and
// maxBodyBytes, then clears the read deadline (a POST answered as a stream
// may outlive it) and restores the body for mcp-go. It refuses, and
// returns false, a body too slow (408), too large (413), a JSON-RPC batch
// (-32600: MCP has no batches since 2025-06-18), or an initialize request
// whose params, or any request whose _meta, exceed maxInitializeParams
// (413).
func (h *Handler) readBody(w http.ResponseWriter, r *http.Request) (message, bool) {
	// A caller reads at most MaxStreamsPerCaller bodies at once: with
	// POLAR_MCP_MAX_CONNECTIONS set, one token sending slow bodies must
	// not fill every connection slot until the deadline.
	key := requestCaller(r)
	if !h.bodies.acquire(key, h.cfg.MaxStreamsPerCaller) {
		writeTooMany(w, bodyRetryAfter, "too many requests still being sent by this caller; wait for one to finish")
		return message{}, false
	}
	defer h.bodies.release(key)
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(h.cfg.BodyReadTimeout))
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		var ne net.Error
		switch {
		case errors.As(err, &tooLarge):
			writeError(w, http.StatusRequestEntityTooLarge, "invalid_request", "request body over 1 MiB")
		case errors.As(err, &ne) && ne.Timeout():
			writeError(w, http.StatusRequestTimeout, "request_timeout",
				"the request body did not arrive within "+h.cfg.BodyReadTimeout.String())
		default:
			writeError(w, http.StatusBadRequest, "invalid_request", "request body unreadable")
		}
		return message{}, false
	}
	_ = rc.SetReadDeadline(time.Time{})
	r.Body = io.NopCloser(bytes.NewReader(body))
	if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 && trimmed[0] == '[' {
		writeRPCError(w, mcp.INVALID_REQUEST, "JSON-RPC batches are not supported: send one message per request")
		return message{}, false
	}
	var msg message
	_ = json.Unmarshal(body, &msg) // mcp-go answers a body that is not JSON
	if msg.Method == string(mcp.MethodInitialize) && len(msg.Params) > maxInitializeParams {
		writeError(w, http.StatusRequestEntityTooLarge, "invalid_request", "initialize params over 16 KiB")
		return message{}, false
	}
	if metaTooLarge(msg.Params) {
		// Protocol 2026-07-28 sends client info and capabilities in every
		// request's _meta instead of in initialize: the same bound.
		writeError(w, http.StatusRequestEntityTooLarge, "invalid_request", "request _meta over 16 KiB")
		return message{}, false
	}
	if BadCursor(msg.Method, msg.Params) {
		writeCursorError(w, msg.ID)
		return message{}, false
	}
	return msg, true
}

// metaTooLarge reports whether params carry a _meta over
// maxInitializeParams.
func metaTooLarge(params json.RawMessage) bool {
	if len(params) <= maxInitializeParams {
		return false
	}
	var p struct {
		Meta json.RawMessage `json:"_meta"`
	}
	return json.Unmarshal(params, &p) == nil && len(p.Meta) > maxInitializeParams
}

// writeRPCError answers with a JSON-RPC error without an id, with 400 as
// mcp-go does for messages it cannot handle.
func writeRPCError(w http.ResponseWriter, code int, text string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	_ = json.NewEncoder(w).Encode(mcp.JSONRPCError{
		JSONRPC: mcp.JSONRPC_VERSION,
		Error:   mcp.NewJSONRPCErrorDetails(code, text, nil),
	})
}

// writeCursorError answers a list request with a bad cursor: -32602 with
// its id, and 200 as mcp-go answers its own request errors.
func writeCursorError(w http.ResponseWriter, id json.RawMessage) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(struct {
		JSONRPC string                  `json:"jsonrpc"`
		ID      json.RawMessage         `json:"id"`
		Error   mcp.JSONRPCErrorDetails `json:"error"`
	}{mcp.JSONRPC_VERSION, id, mcp.NewJSONRPCErrorDetails(mcp.INVALID_PARAMS, CursorMessage, nil)})
}
