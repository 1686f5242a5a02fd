package hosted

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

	"github.com/mark3labs/mcp-go/mcp"
)

// batchesAllowed reports whether a Streamable HTTP request's protocol has
// JSON-RPC batches: 2025-03-26 has them (receiving them is a MUST), later
// revisions removed them. A request without MCP-Protocol-Version is of
// 2025-03-26, as the specification says (clients of that revision do not
// send the header), and it is also what an initialize with an empty
// protocolVersion negotiates.
func batchesAllowed(r *http.Request) bool {
	v := r.Header.Get(mcp.HeaderProtocolVersion)
	return v == "" || v == mcp.ProtocolVersion20250326
}

// readBatch reads a JSON-RPC batch: on a Streamable HTTP request of
// protocol 2025-03-26, each message is checked as a lone one would be;
// elsewhere (later revisions, legacy SSE, whose 2024-11-05 revision has
// no batches) it is refused with -32600. initialize may not be batched.
func readBatch(w http.ResponseWriter, r *http.Request, rt route, body []byte) (message, bool) {
	if rt != routeStreamable || !batchesAllowed(r) {
		writeRPCError(w, mcp.INVALID_REQUEST, "JSON-RPC batches are not supported in this protocol version: send one message per request")
		return message{}, false
	}
	var batch []json.RawMessage
	if err := json.Unmarshal(body, &batch); err != nil {
		writeRPCError(w, mcp.PARSE_ERROR, "the batch is not valid JSON")
		return message{}, false
	}
	if len(batch) == 0 {
		writeRPCError(w, mcp.INVALID_REQUEST, "empty batch: send at least one message")
		return message{}, false
	}
	for _, raw := range batch {
		var msg message
		if _, ok := object(raw); !ok || json.Unmarshal(raw, &msg) != nil {
			writeRPCError(w, mcp.INVALID_REQUEST, "every message of a batch must be a JSON-RPC object")
			return message{}, false
		}
		if msg.Method == string(mcp.MethodInitialize) {
			writeRPCError(w, mcp.INVALID_REQUEST, "initialize must not be part of a JSON-RPC batch")
			return message{}, false
		}
		if !checkMessage(w, msg) {
			return message{}, false
		}
	}
	return message{batch: batch}, true
}

// serveBatch answers a batch: each message goes to mcp-go as if posted
// alone, and the answers to its requests come back together as one JSON
// array (202 without a body when it held only notifications and
// responses).
func (h *Handler) serveBatch(w http.ResponseWriter, r *http.Request, batch []json.RawMessage, next http.Handler) {
	var answers []json.RawMessage
	for _, raw := range batch {
		var msg message
		_ = json.Unmarshal(raw, &msg)
		if e := CheckRequest(h.srv, msg.Method, msg.Params); e != nil && len(msg.ID) > 0 && msg.Method != "" {
			out, _ := json.Marshal(newRPCAnswer(msg.ID, *e))
			answers = append(answers, out)
			continue
		}
		one := r.Clone(r.Context())
		one.Body = io.NopCloser(bytes.NewReader(raw))
		one.ContentLength = int64(len(raw))
		rec := &recorder{header: http.Header{}} // no Flush: mcp-go answers in JSON, not SSE
		next.ServeHTTP(rec, one)
		body := bytes.TrimSpace(rec.body.Bytes())
		if rec.status == http.StatusAccepted || len(body) == 0 || msg.isResponse() {
			continue // nothing to answer, or a client's response (accepted)
		}
		if _, ok := object(body); !ok {
			// Not a JSON-RPC answer (an HTTP refusal): it answers the batch.
			setHeaders(w.Header(), pickHeaders(rec.header, answerHeaders()), answerHeaders())
			w.WriteHeader(rec.status)
			_, _ = w.Write(rec.body.Bytes())
			return
		}
		answers = append(answers, FixErrorCode(body, false))
	}
	if len(answers) == 0 {
		w.WriteHeader(http.StatusAccepted)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(answers)
}

// acceptingWriter answers 202 for a client's response to a request of the
// server that mcp-go does not know (refused with 400): the specification
// has the server accept every JSON-RPC response or notification with 202,
// and a response to nothing pending is ignored, as for ping responses.
type acceptingWriter struct {
	http.ResponseWriter
	swallow bool
}

// WriteHeader implements http.ResponseWriter.
func (a *acceptingWriter) WriteHeader(status int) {
	if status == http.StatusBadRequest {
		a.swallow = true
		status = http.StatusAccepted
		a.Header().Del("Content-Type")
	}
	a.ResponseWriter.WriteHeader(status)
}

// Write implements http.ResponseWriter.
func (a *acceptingWriter) Write(p []byte) (int, error) {
	if a.swallow {
		return len(p), nil
	}
	return a.ResponseWriter.Write(p)
}
