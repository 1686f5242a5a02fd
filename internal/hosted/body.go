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
	ID     json.RawMessage   `json:"id"`
	Method string            `json:"method"`
	Params json.RawMessage   `json:"params"`
	Result json.RawMessage   `json:"result"`
	Error  json.RawMessage   `json:"error"`
	batch  []json.RawMessage // the messages of an accepted batch
}

// isResponse reports whether the message is the client's answer to a
// request of the server.
func (m message) isResponse() bool {
	return m.Method == "" && len(m.ID) > 0 && (len(m.Result) > 0 || len(m.Error) > 0)
}

// readBody reads a POST body whole, within Config.BodyReadTimeout and
// maxBodyBytes, then clears the read deadline (a POST answered as a stream
// may outlive it) and restores the body for mcp-go. It refuses, and
// returns false, a body too slow (408), too large (413), a JSON-RPC batch
// where the protocol has none (see readBatch), or an initialize request
// whose params, or any request whose _meta, exceed maxInitializeParams
// (413).
func (h *Handler) readBody(w http.ResponseWriter, r *http.Request, rt route) (message, bool) {
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
		return readBatch(w, r, rt, trimmed)
	}
	var msg message
	_ = json.Unmarshal(body, &msg) // mcp-go answers a body that is not JSON
	return msg, checkMessage(w, msg)
}

// checkMessage refuses, and returns false, an initialize request whose
// params, or any request whose _meta, exceed maxInitializeParams (413).
func checkMessage(w http.ResponseWriter, msg message) bool {
	if msg.Method == string(mcp.MethodInitialize) && len(msg.Params) > maxInitializeParams {
		writeError(w, http.StatusRequestEntityTooLarge, "invalid_request", "initialize params over 16 KiB")
		return false
	}
	if metaTooLarge(msg.Params) {
		// Protocol 2026-07-28 sends client info and capabilities in every
		// request's _meta instead of in initialize: the same bound.
		writeError(w, http.StatusRequestEntityTooLarge, "invalid_request", "request _meta over 16 KiB")
		return false
	}
	return true
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

// rpcAnswer is a JSON-RPC error answer with the request's id.
type rpcAnswer struct {
	JSONRPC string                  `json:"jsonrpc"`
	ID      json.RawMessage         `json:"id"`
	Error   mcp.JSONRPCErrorDetails `json:"error"`
}

func newRPCAnswer(id json.RawMessage, e mcp.JSONRPCErrorDetails) rpcAnswer {
	if len(id) == 0 {
		id = json.RawMessage("null")
	}
	return rpcAnswer{JSONRPC: mcp.JSONRPC_VERSION, ID: id, Error: e}
}

// refuseEarly answers, and reports, a request CheckRequest refuses: on a
// Streamable HTTP POST in its body (200, as mcp-go answers its own request
// errors; 400 on protocol 2026-07-28), on an SSE POST on its session's
// stream, where the client waits for it (202 to the POST).
func (h *Handler) refuseEarly(w http.ResponseWriter, r *http.Request, rt route, msg message) bool {
	if len(msg.ID) == 0 || msg.Method == "" {
		return false
	}
	e := CheckRequest(h.srv, msg.Method, msg.Params)
	if e == nil {
		return false
	}
	answer := newRPCAnswer(msg.ID, *e)
	if rt == routeMessage {
		if h.sse.SendEventToSession(r.URL.Query().Get("sessionId"), answer) != nil {
			return false // no such stream: mcp-go answers
		}
		w.WriteHeader(http.StatusAccepted)
		return true
	}
	status := http.StatusOK
	if mcp.IsModernProtocol(r.Header.Get(mcp.HeaderProtocolVersion)) {
		status = http.StatusBadRequest
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(answer)
	return true
}
