// Package stdio is the edge of the stdio transport: it guards what
// mcp-go's stdio server reads from stdin and writes to stdout.
package stdio

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"log/slog"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/internal/hosted"
)

// MaxLine bounds one JSON-RPC message on stdio, newline included.
const MaxLine = 4 << 20

// lineTooLong is the answer to a line over MaxLine.
const lineTooLong = "Invalid request: a message over 4 MiB was discarded; " +
	"polar-mcp reads one JSON-RPC message per line, each at most 4 MiB"

// lineGuard stands between stdin and mcp-go's stdio server, which reads
// whole lines however long they are. It hands mcp-go only complete lines
// of at most max bytes; a longer line is read through and dropped without
// being kept (memory stays bounded by max), and answered on out with a
// JSON-RPC -32600 error. A list request with a cursor mcp-go cannot decode
// is answered -32602 here too, without mcp-go's Go decoding error.
type lineGuard struct {
	src     *bufio.Reader
	max     int
	out     *lockedWriter
	log     *slog.Logger
	prompts hosted.Prompts // the prompts' declared arguments, for hosted.CheckRequest
	flow    *stdioFlow
	line    []byte   // the line being handed over
	off     int      // how much of line mcp-go has read
	queue   [][]byte // the messages of a batch, each handed over as a line
}

// Guard returns the reader mcp-go should read from in (lines of at most
// max bytes) and the writer it should write to out through, which the
// guard's own answers share. prompts are the server's prompts, whose
// declared arguments requests are checked against (hosted.CheckRequest);
// nil checks none.
func Guard(in io.Reader, out io.Writer, max int, prompts hosted.Prompts, log *slog.Logger) (io.Reader, io.Writer) {
	w := &lockedWriter{w: out, flow: newStdioFlow()}
	g := newLineGuard(in, w, max, log)
	g.prompts = prompts
	return g, w
}

func newLineGuard(in io.Reader, out *lockedWriter, max int, log *slog.Logger) *lineGuard {
	flow := out.flow
	if flow == nil {
		flow = newStdioFlow()
	}
	return &lineGuard{src: bufio.NewReaderSize(in, 64<<10), max: max, out: out, log: log, flow: flow}
}

// Read implements io.Reader.
func (g *lineGuard) Read(p []byte) (int, error) {
	for g.off >= len(g.line) {
		if err := g.next(); err != nil {
			return 0, err
		}
	}
	n := copy(p, g.line[g.off:])
	g.off += n
	return n, nil
}

// next reads the next line mcp-go should see into g.line, answering and
// dropping the lines it should not.
func (g *lineGuard) next() error {
	g.line, g.off = g.line[:0], 0
	if len(g.queue) > 0 {
		g.line, g.queue = append(g.line, g.queue[0]...), g.queue[1:]
		return nil
	}
	over := 0 // bytes of an over-long line read so far
	for {
		chunk, err := g.src.ReadSlice('\n')
		switch {
		case over > 0:
			over += len(chunk)
		case len(g.line)+len(chunk) > g.max:
			over = len(g.line) + len(chunk)
			g.line = g.line[:0]
		default:
			g.line = appendCapped(g.line, chunk, g.max)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if over > 0 {
			g.log.Warn("stdio message over the limit discarded", "bytes", over, "limit", g.max)
			g.answer(nil, mcp.INVALID_REQUEST, lineTooLong)
			over = 0
		} else if len(g.line) > 0 && !g.refused() {
			return nil // a partial last line before EOF is handed over too
		}
		g.line = g.line[:0]
		if len(g.queue) > 0 {
			g.line, g.queue = append(g.line, g.queue[0]...), g.queue[1:]
			return nil
		}
		if err != nil {
			// stdin closed: the answers being computed are written
			// before mcp-go sees the end and stops.
			g.flow.drain(stdioDrainTimeout)
			return err
		}
	}
}

// appendCapped appends chunk to line (len(line)+len(chunk) <= limit),
// never growing line's capacity beyond limit.
func appendCapped(line, chunk []byte, limit int) []byte {
	if n := len(line) + len(chunk); n > cap(line) {
		grown := make([]byte, len(line), min(max(2*cap(line), n), limit))
		copy(grown, line)
		line = grown
	}
	return append(line, chunk...)
}

// refused answers, and reports, a message mcp-go must not see as it is:
// a request hosted.CheckRequest refuses (a list request with a bad
// cursor, params mcp-go misjudges), or a JSON-RPC batch (see batch). It
// records the requests it hands over, to wait for their answers at the
// end.
func (g *lineGuard) refused() bool {
	if trimmed := bytes.TrimSpace(g.line); len(trimmed) > 0 && trimmed[0] == '[' {
		g.batch(trimmed)
		return true
	}
	var msg struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
		Params json.RawMessage `json:"params"`
	}
	if json.Unmarshal(g.line, &msg) != nil || msg.Method == "" {
		return false
	}
	id, isRequest := canonical(msg.ID)
	if !isRequest {
		return false
	}
	if e := hosted.CheckRequest(g.prompts, msg.Method, msg.Params); e != nil {
		g.answer(msg.ID, e.Code, e.Message)
		return true
	}
	g.flow.sent(id)
	return false
}

// batch takes a JSON-RPC batch: on protocol 2025-03-26 its messages are
// handed over one by one and their answers written together as one array;
// elsewhere (later revisions have no batches) it is refused with -32600.
func (g *lineGuard) batch(raw []byte) {
	var msgs []json.RawMessage
	if json.Unmarshal(raw, &msgs) != nil {
		g.answer(nil, mcp.PARSE_ERROR, "Parse error: the batch is not valid JSON")
		return
	}
	if !g.flow.batchesAllowed() {
		g.answer(nil, mcp.INVALID_REQUEST, "JSON-RPC batches are not supported in this protocol version: send one message per line")
		return
	}
	if len(msgs) == 0 {
		g.answer(nil, mcp.INVALID_REQUEST, "empty batch: send at least one message")
		return
	}
	var ids []string
	var answered []json.RawMessage
	var queue [][]byte
	for _, m := range msgs {
		var msg struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
			Params json.RawMessage `json:"params"`
		}
		if json.Unmarshal(m, &msg) != nil || msg.Method == string(mcp.MethodInitialize) {
			g.answer(nil, mcp.INVALID_REQUEST, "every message of a batch must be a JSON-RPC object, and initialize must not be batched")
			return
		}
		id, isRequest := canonical(msg.ID)
		if isRequest && msg.Method != "" {
			if e := hosted.CheckRequest(g.prompts, msg.Method, msg.Params); e != nil {
				out, _ := json.Marshal(rpcErrorLine(msg.ID, e.Code, e.Message))
				answered = append(answered, out)
				continue
			}
			ids = append(ids, id)
		}
		queue = append(queue, append(bytes.TrimSpace(m), '\n'))
	}
	if len(ids) == 0 {
		if len(answered) > 0 {
			out, _ := json.Marshal(answered)
			_, _ = g.out.Write(append(out, '\n'))
		}
	} else {
		g.flow.openBatch(ids, answered)
	}
	g.queue = append(g.queue, queue...)
}

// rpcErrorLine is a JSON-RPC error answer.
func rpcErrorLine(id json.RawMessage, code int, text string) any {
	if len(id) == 0 {
		id = json.RawMessage("null")
	}
	return struct {
		JSONRPC string                  `json:"jsonrpc"`
		ID      json.RawMessage         `json:"id"`
		Error   mcp.JSONRPCErrorDetails `json:"error"`
	}{mcp.JSONRPC_VERSION, id, mcp.NewJSONRPCErrorDetails(code, text, nil)}
}

func (g *lineGuard) answer(id json.RawMessage, code int, text string) {
	b, err := json.Marshal(rpcErrorLine(id, code, text))
	if err == nil {
		_, _ = g.out.Write(append(b, '\n'))
	}
}
