package polarmcp

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/hosted"
)

type rpcReply struct {
	ID     any             `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// stdioSession runs RunStdio in demo mode over pipes.
func stdioSession(t *testing.T) (send func(string), recv func() rpcReply) {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = RunStdio(ctx, config.Config{Demo: true}, inR, outW, slog.New(slog.DiscardHandler))
		outW.Close()
	}()
	t.Cleanup(func() { cancel(); inW.Close(); outR.Close(); <-done })
	lines := bufio.NewScanner(outR)
	lines.Buffer(nil, 8<<20)
	send = func(s string) {
		if _, err := io.WriteString(inW, s+"\n"); err != nil {
			t.Fatal(err)
		}
	}
	recv = func() rpcReply {
		t.Helper()
		if !lines.Scan() {
			t.Fatalf("stdio ended: %v", lines.Err())
		}
		var r rpcReply
		if err := json.Unmarshal(lines.Bytes(), &r); err != nil {
			t.Fatalf("%s: %v", lines.Text(), err)
		}
		return r
	}
	return send, recv
}

func TestStdioOverlongLineIsRefusedAndTheSessionGoesOn(t *testing.T) {
	send, recv := stdioSession(t)
	send(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`)
	if r := recv(); r.Error != nil {
		t.Fatalf("initialize: %+v", r.Error)
	}
	send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	send(`{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{"cursor":"` + strings.Repeat("x", 5<<20) + `"}}`)
	r := recv()
	if r.Error == nil || r.Error.Code != -32600 || !strings.Contains(r.Error.Message, "4 MiB") {
		t.Fatalf("5 MiB line answered %+v, want -32600 naming the 4 MiB limit", r)
	}
	send(`{"jsonrpc":"2.0","id":3,"method":"tools/list","params":{"cursor":"!!not base64"}}`)
	r = recv()
	if r.Error == nil || r.Error.Code != -32602 || r.Error.Message != hosted.CursorMessage || r.ID != float64(3) {
		t.Fatalf("bad cursor answered %+v, want -32602 %q", r, hosted.CursorMessage)
	}
	send(`{"jsonrpc":"2.0","id":4,"method":"tools/list"}`)
	r = recv()
	if r.Error != nil || r.ID != float64(4) || !strings.Contains(string(r.Result), "get_products") {
		t.Fatalf("tools/list after the refusals: %+v %s", r.Error, r.Result)
	}
}
