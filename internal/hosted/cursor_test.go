package hosted

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestBadListCursorIsInvalidParamsWithoutGoInternals(t *testing.T) {
	ts := serve(t, newEcho().srv, nil)
	tok := customerToken(t, "alice@example.com")
	resp, _ := post(t, ts.url+"/mcp", tok, initializeBody, nil)
	session := map[string]string{"Mcp-Session-Id": resp.Header.Get("Mcp-Session-Id")}
	for _, cursor := range []string{`"!!!not-base64"`, `"%%%"`, `"a"`, `5`, `{"page":2}`, `["x"]`, `true`} {
		list := `{"jsonrpc":"2.0","id":9,"method":"tools/list","params":{"cursor":` + cursor + `}}`
		resp, body := post(t, ts.url+"/mcp", tok, list, session)
		var msg struct {
			ID    any `json:"id"`
			Error struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := json.Unmarshal([]byte(body), &msg); err != nil {
			t.Fatalf("%d %s: %v", resp.StatusCode, body, err)
		}
		if msg.Error.Code != -32602 || msg.ID != float64(9) || msg.Error.Message != CursorMessage {
			t.Errorf("cursor %q answered %d %s, want -32602 %q for id 9", cursor, resp.StatusCode, body, CursorMessage)
		}
		if strings.Contains(body, "base64") || strings.Contains(body, "byte") || strings.Contains(body, "unmarshal") {
			t.Errorf("cursor %q: the answer shows Go internals: %s", cursor, body)
		}
	}
	// A cursor the server could have handed out still lists.
	resp, body := post(t, ts.url+"/mcp", tok, `{"jsonrpc":"2.0","id":10,"method":"tools/list","params":{"cursor":"YQ=="}}`, session)
	if !strings.Contains(body, `"tools"`) {
		t.Errorf("valid cursor: %d %s", resp.StatusCode, body)
	}
}
