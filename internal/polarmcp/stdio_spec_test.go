package polarmcp

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	stdioedge "github.com/polar-mcp/polar-mcp/internal/stdio"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/config"
)

const stdioInit = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"%s","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`

func initStdio(t *testing.T, send func(string), recv func() rpcReply, version string) {
	t.Helper()
	send(strings.Replace(stdioInit, "%s", version, 1))
	if r := recv(); r.Error != nil {
		t.Fatalf("initialize: %+v", r.Error)
	}
	send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
}

// TestStdioErrorCodes: over stdio, the real server answers the requests
// mcp-go would misjudge with -32602, and its handlers' argument errors
// too (the demo caller is an agent).
func TestStdioErrorCodes(t *testing.T) {
	send, recv := stdioSession(t)
	send(`{"jsonrpc":"2.0","id":1,"method":"initialize"}`)
	if r := recv(); r.Error == nil || r.Error.Code != mcp.INVALID_PARAMS {
		t.Errorf("initialize without params: %+v, want -32602", r)
	}
	initStdio(t, send, recv, "2025-11-25")
	cases := []struct{ name, body string }{
		{"support_reply without question", `{"jsonrpc":"2.0","id":2,"method":"prompts/get","params":{"name":"support_reply","arguments":{"email":"bob@example.com"}}}`},
		{"support_reply with a blank question", `{"jsonrpc":"2.0","id":2,"method":"prompts/get","params":{"name":"support_reply","arguments":{"email":"bob@example.com","question":"  "}}}`},
		{"cancellation_help with a bad email", `{"jsonrpc":"2.0","id":2,"method":"prompts/get","params":{"name":"cancellation_help","arguments":{"email":"Bob <bob@example.com>"}}}`},
		{"cancellation_help without arguments", `{"jsonrpc":"2.0","id":2,"method":"prompts/get","params":{"name":"cancellation_help"}}`},
		{"resources/read without uri", `{"jsonrpc":"2.0","id":2,"method":"resources/read","params":{}}`},
		{"tools/call with arguments \"x\"", `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_visitor_insights","arguments":"x"}}`},
	}
	for _, c := range cases {
		send(c.body)
		if r := recv(); r.Error == nil || r.Error.Code != mcp.INVALID_PARAMS || r.ID != float64(2) {
			t.Errorf("%s: %+v, want -32602 for id 2", c.name, r)
		}
	}
	send(`{"jsonrpc":"2.0","id":3,"method":"prompts/get","params":{"name":"support_reply","arguments":{"email":"bob@example.com","question":"Why?"}}}`)
	if r := recv(); r.Error != nil {
		t.Errorf("a valid support_reply: %+v", r.Error)
	}
	send(`[{"jsonrpc":"2.0","id":4,"method":"ping"}]`)
	if r := recv(); r.Error == nil || r.Error.Code != mcp.INVALID_REQUEST {
		t.Errorf("a batch on 2025-11-25: %+v, want -32600", r)
	}
}

// TestStdioBatchesOn20250326: a session that negotiated 2025-03-26 gets
// one array answering the requests of a batch.
func TestStdioBatchesOn20250326(t *testing.T) {
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
	send := func(s string) { _, _ = io.WriteString(inW, s+"\n") }
	send(strings.Replace(stdioInit, "%s", "2025-03-26", 1))
	lines.Scan()
	send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	send(`[{"jsonrpc":"2.0","id":"a","method":"ping"},{"jsonrpc":"2.0","id":"b","method":"tools/list"},` +
		`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"zz"}},` +
		`{"jsonrpc":"2.0","id":"c","method":"tools/call","params":{"name":"get_visitor_insights","arguments":"x"}}]`)
	if !lines.Scan() {
		t.Fatal("no answer to the batch")
	}
	var answers []rpcReply
	if err := json.Unmarshal(lines.Bytes(), &answers); err != nil {
		t.Fatalf("batch answer %s: %v", lines.Text(), err)
	}
	got := map[any]rpcReply{}
	for _, a := range answers {
		got[a.ID] = a
	}
	if len(answers) != 3 || got["a"].Error != nil || got["b"].Error != nil || !strings.Contains(string(got["b"].Result), "get_visitor_insights") ||
		got["c"].Error == nil || got["c"].Error.Code != mcp.INVALID_PARAMS {
		t.Errorf("batch answers: %s", lines.Text())
	}
}

// TestStdioAnswersWhatIsBeingComputedWhenStdinCloses: stdin closing
// (the client is done sending) does not cancel the calls in flight: their
// answers are written, then the server exits.
func TestStdioAnswersWhatIsBeingComputedWhenStdinCloses(t *testing.T) {
	srv := server.NewMCPServer("t", "1", server.WithToolCapabilities(false))
	srv.AddTool(mcp.NewTool("slow"), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		select {
		case <-time.After(300 * time.Millisecond):
			return mcp.NewToolResultText("done"), nil
		case <-ctx.Done():
			return nil, errors.New("cancelled")
		}
	})
	in := strings.Replace(stdioInit, "%s", "2025-11-25", 1) + "\n" +
		`{"jsonrpc":"2.0","method":"notifications/initialized"}` + "\n" +
		`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"slow"}}` + "\n" +
		`{"jsonrpc":"2.0","id":3,"method":"ping"}` + "\n"
	var out syncBuffer
	guardIn, guardOut := stdioedge.Guard(strings.NewReader(in), &out, stdioedge.MaxLine, srv, slog.New(slog.DiscardHandler))
	stdio := server.NewStdioServer(srv)
	finished := make(chan error, 1)
	go func() {
		finished <- stdio.Listen(context.Background(), guardIn, guardOut)
	}()
	select {
	case err := <-finished:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not exit after stdin closed")
	}
	text := out.String()
	if !strings.Contains(text, `"id":2,"result"`) || !strings.Contains(text, `"text":"done"`) || !strings.Contains(text, `"id":3,"result"`) {
		t.Errorf("answers after stdin closed: %s", text)
	}
}
