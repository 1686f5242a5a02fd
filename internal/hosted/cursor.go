package hosted

import (
	"encoding/base64"
	"encoding/json"
	"strings"
)

// CursorMessage is the JSON-RPC error message for a list request whose
// cursor is not one polar-mcp handed out.
const CursorMessage = "Invalid params: the cursor is not one this server returned; " +
	"send the nextCursor of the previous page, or no cursor for the first page"

// BadCursor reports whether a list request (tools/list, prompts/list, …)
// carries a cursor mcp-go could not decode. mcp-go answers such a cursor
// with -32602 and a Go decoding error as its message; the transports
// answer it first, with CursorMessage.
func BadCursor(method string, params json.RawMessage) bool {
	if !strings.HasSuffix(method, "/list") || len(params) == 0 {
		return false
	}
	var p struct {
		Cursor json.RawMessage `json:"cursor"`
	}
	if json.Unmarshal(params, &p) != nil || len(p.Cursor) == 0 || string(p.Cursor) == "null" {
		return false // mcp-go answers params it cannot read
	}
	var cursor string
	if json.Unmarshal(p.Cursor, &cursor) != nil {
		return true // a number, an object: mcp-go would quote a Go decoding error
	}
	if cursor == "" {
		return false
	}
	_, err := base64.StdEncoding.DecodeString(cursor)
	return err != nil
}
