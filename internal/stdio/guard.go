// Package stdio is the edge of the stdio transport: it guards what
// mcp-go's stdio server reads from stdin and writes to stdout.
package stdio

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"sync"

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
	src  *bufio.Reader
	max  int
	out  *lockedWriter
	log  *slog.Logger
	line []byte // the line being handed over
	off  int    // how much of line mcp-go has read
}

// Guard returns the reader mcp-go should read from in (lines of at most
// max bytes) and the writer it should write to out through, which the
// guard's own answers share.
func Guard(in io.Reader, out io.Writer, max int, log *slog.Logger) (io.Reader, io.Writer) {
	w := &lockedWriter{w: out}
	return newLineGuard(in, w, max, log), w
}

func newLineGuard(in io.Reader, out *lockedWriter, max int, log *slog.Logger) *lineGuard {
	return &lineGuard{src: bufio.NewReaderSize(in, 64<<10), max: max, out: out, log: log}
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
		if err != nil {
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

// refused answers, and reports, a list request with a bad cursor.
func (g *lineGuard) refused() bool {
	if !bytes.Contains(g.line, []byte("/list")) {
		return false
	}
	var msg struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
		Params json.RawMessage `json:"params"`
	}
	if json.Unmarshal(g.line, &msg) != nil || !hosted.BadCursor(msg.Method, msg.Params) {
		return false
	}
	g.answer(msg.ID, mcp.INVALID_PARAMS, hosted.CursorMessage)
	return true
}

func (g *lineGuard) answer(id json.RawMessage, code int, text string) {
	if len(id) == 0 {
		id = json.RawMessage("null")
	}
	b, err := json.Marshal(struct {
		JSONRPC string                  `json:"jsonrpc"`
		ID      json.RawMessage         `json:"id"`
		Error   mcp.JSONRPCErrorDetails `json:"error"`
	}{mcp.JSONRPC_VERSION, id, mcp.NewJSONRPCErrorDetails(code, text, nil)})
	if err == nil {
		_, _ = g.out.Write(append(b, '\n'))
	}
}

// lockedWriter serializes whole-line writes of mcp-go and lineGuard to
// one output.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

// Write implements io.Writer.
func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
