package hosted

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Prompts lists the prompts a server offers; *server.MCPServer is one.
type Prompts interface {
	ListPrompts() map[string]*server.ServerPrompt
}

// CheckRequest returns the JSON-RPC error a request must get before
// mcp-go sees it, or nil. mcp-go answers these requests wrongly: it runs
// initialize without params, a tool whose arguments are not an object, or
// a prompt without its required arguments, answers params it cannot
// decode with -32600 (invalid request), and resources/read without a uri
// with -32002 (resource not found). The specification asks for -32602
// (invalid params) in each case. prompts, when not nil, gives each
// prompt's declared arguments. Every transport calls it (stdio too).
func CheckRequest(prompts Prompts, method string, params json.RawMessage) *mcp.JSONRPCErrorDetails {
	if BadCursor(method, params) {
		return invalidParams(CursorMessage)
	}
	var text string
	switch method {
	case string(mcp.MethodInitialize):
		text = checkInitialize(params)
	case string(mcp.MethodResourcesRead):
		text = checkResourceRead(params)
	case string(mcp.MethodToolsCall):
		text = checkToolCall(params)
	case string(mcp.MethodPromptsGet):
		text = checkPromptGet(prompts, params)
	}
	if text == "" {
		return nil
	}
	return invalidParams(text)
}

func invalidParams(text string) *mcp.JSONRPCErrorDetails {
	e := mcp.NewJSONRPCErrorDetails(mcp.INVALID_PARAMS, text, nil)
	return &e
}

// object decodes params that must be a JSON object, reporting false when
// they are absent, null or something else.
func object(params json.RawMessage) (map[string]json.RawMessage, bool) {
	var m map[string]json.RawMessage
	if len(bytes.TrimSpace(params)) == 0 || json.Unmarshal(params, &m) != nil || m == nil {
		return nil, false
	}
	return m, true
}

// str decodes a member that must be a non-empty string.
func str(m map[string]json.RawMessage, key string) (string, bool) {
	var s string
	if json.Unmarshal(m[key], &s) != nil || strings.TrimSpace(s) == "" {
		return "", false
	}
	return s, true
}

func checkInitialize(params json.RawMessage) string {
	p, ok := object(params)
	if !ok {
		return "Invalid params: initialize needs params with protocolVersion, capabilities and clientInfo"
	}
	if v, present := p["protocolVersion"]; present {
		var s string
		if json.Unmarshal(v, &s) != nil {
			return "Invalid params: protocolVersion must be a string such as \"" + mcp.LATEST_LEGACY_PROTOCOL_VERSION + "\""
		}
	}
	return ""
}

func checkResourceRead(params json.RawMessage) string {
	p, ok := object(params)
	if !ok {
		return "Invalid params: resources/read needs params with the uri to read"
	}
	if _, ok := str(p, "uri"); !ok {
		return "Invalid params: resources/read needs a uri (a string from resources/list)"
	}
	return ""
}

func checkToolCall(params json.RawMessage) string {
	p, ok := object(params)
	if !ok {
		return "Invalid params: tools/call needs params with the tool's name and its arguments"
	}
	if _, ok := str(p, "name"); !ok {
		return "Invalid params: tools/call needs the tool's name (a string from tools/list)"
	}
	if args, present := p["arguments"]; present && string(bytes.TrimSpace(args)) != "null" {
		if _, ok := object(args); !ok {
			return "Invalid params: tools/call arguments must be a JSON object of the tool's parameters"
		}
	}
	return ""
}

func checkPromptGet(prompts Prompts, params json.RawMessage) string {
	p, ok := object(params)
	if !ok {
		return "Invalid params: prompts/get needs params with the prompt's name and its arguments"
	}
	name, ok := str(p, "name")
	if !ok {
		return "Invalid params: prompts/get needs the prompt's name (a string from prompts/list)"
	}
	args := map[string]string{}
	if raw, present := p["arguments"]; present && string(bytes.TrimSpace(raw)) != "null" {
		if json.Unmarshal(raw, &args) != nil {
			return "Invalid params: prompts/get arguments must be a JSON object whose values are strings"
		}
	}
	if prompts == nil {
		return ""
	}
	prompt, ok := prompts.ListPrompts()[name]
	if !ok {
		return "" // mcp-go answers an unknown prompt with -32602
	}
	for _, arg := range prompt.Prompt.Arguments {
		if arg.Required && strings.TrimSpace(args[arg.Name]) == "" {
			return fmt.Sprintf("Invalid params: prompt %s needs the argument %q", name, arg.Name)
		}
	}
	return ""
}

// errorCodeFor is the code a handler's error means, by the sentinel it
// wraps (mcp-go reports every handler error as -32603, internal error,
// with the error's text as message, so the sentinel's text ends it).
func errorCodeFor(message string, modern bool) (int, bool) {
	switch {
	case strings.HasSuffix(message, ": "+mcp.ErrInvalidParams.Error()):
		return mcp.INVALID_PARAMS, true
	case strings.HasSuffix(message, ": "+mcp.ErrResourceNotFound.Error()):
		if modern {
			return mcp.INVALID_PARAMS, true // 2026-07-28 reports it as invalid params
		}
		return mcp.RESOURCE_NOT_FOUND, true
	}
	return 0, false
}

var internalErrorCode = []byte(fmt.Sprintf(`"code":%d`, mcp.INTERNAL_ERROR))

// FixErrorCode returns msg, one JSON-RPC message as mcp-go wrote it, with
// the error code its handler meant: a handler error wrapping
// mcp.ErrInvalidParams is -32602, and one wrapping mcp.ErrResourceNotFound
// is -32002 (-32602 on protocol 2026-07-28), where mcp-go says -32603.
// The codes have the same length, so msg keeps its length.
func FixErrorCode(msg []byte, modern bool) []byte {
	if !bytes.Contains(msg, internalErrorCode) {
		return msg
	}
	var m struct {
		Error *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(msg, &m) != nil || m.Error == nil || m.Error.Code != mcp.INTERNAL_ERROR {
		return msg
	}
	code, ok := errorCodeFor(m.Error.Message, modern)
	if !ok {
		return msg
	}
	return bytes.Replace(msg, internalErrorCode, []byte(fmt.Sprintf(`"code":%d`, code)), 1)
}

// fixEvent applies FixErrorCode to the message of one SSE event write.
func fixEvent(p []byte, modern bool) []byte {
	data, ok := bytes.CutPrefix(p, []byte(messagePrefix))
	if !ok || !bytes.Contains(data, internalErrorCode) {
		return p
	}
	return append([]byte(messagePrefix), FixErrorCode(data, modern)...)
}

// fixingWriter applies FixErrorCode to what mcp-go writes in answer to a
// Streamable HTTP POST: a JSON body, or the events of an SSE stream (mcp-go
// writes each whole, in one Write).
type fixingWriter struct {
	http.ResponseWriter
	modern bool
}

// Write implements http.ResponseWriter.
func (f *fixingWriter) Write(p []byte) (int, error) {
	out := p
	if strings.HasPrefix(f.Header().Get("Content-Type"), "text/event-stream") {
		out = fixEvent(p, f.modern)
	} else {
		out = FixErrorCode(p, f.modern)
	}
	if _, err := f.ResponseWriter.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush implements http.Flusher, which streams require.
func (f *fixingWriter) Flush() {
	if fl, ok := f.ResponseWriter.(http.Flusher); ok {
		fl.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (f *fixingWriter) Unwrap() http.ResponseWriter { return f.ResponseWriter }
