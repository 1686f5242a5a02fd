package stdio

import (
	"bytes"
	"encoding/json"
	"io"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/internal/hosted"
)

// stdioDrainTimeout bounds how long, once stdin has closed, the answers
// still being computed are waited for before the server exits.
const stdioDrainTimeout = 2 * time.Minute

// stdioFlow follows the messages of a stdio session both ways: the
// requests handed to mcp-go that await an answer (so that, when stdin
// closes, they are answered before the server exits), the protocol
// version initialize negotiated (JSON-RPC batches are answered on
// 2025-03-26 only), and the batches whose answers are gathered into one
// array.
type stdioFlow struct {
	mu      sync.Mutex
	idle    *sync.Cond
	pending map[string]bool // canonical ids of unanswered requests
	version string          // negotiated by initialize
	batches []*stdioBatch
}

// stdioBatch is a batch whose answers are being gathered.
type stdioBatch struct {
	want    map[string]bool // ids still to answer
	answers []json.RawMessage
}

func newStdioFlow() *stdioFlow {
	f := &stdioFlow{pending: map[string]bool{}}
	f.idle = sync.NewCond(&f.mu)
	return f
}

// canonical renders a JSON-RPC id the same way from a request and its
// answer; false for a missing or null id.
func canonical(raw json.RawMessage) (string, bool) {
	var v any
	if len(raw) == 0 || json.Unmarshal(raw, &v) != nil || v == nil {
		return "", false
	}
	out, err := json.Marshal(v)
	return string(out), err == nil
}

// sent records a request handed to mcp-go.
func (f *stdioFlow) sent(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pending[id] = true
}

// batchesAllowed reports whether the session's protocol has batches.
func (f *stdioFlow) batchesAllowed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.version == mcp.ProtocolVersion20250326
}

// openBatch starts gathering the answers to the requests ids.
func (f *stdioFlow) openBatch(ids []string, answered []json.RawMessage) *stdioBatch {
	b := &stdioBatch{want: map[string]bool{}, answers: answered}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, id := range ids {
		b.want[id] = true
		f.pending[id] = true
	}
	f.batches = append(f.batches, b)
	return b
}

// out is what to write for one message mcp-go wrote (nil: nothing yet,
// it joins a batch still being gathered), with its error code fixed.
func (f *stdioFlow) out(line []byte) []byte {
	line = hosted.FixErrorCode(line, false)
	var m struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
		Result *struct {
			ProtocolVersion string          `json:"protocolVersion"`
			ServerInfo      json.RawMessage `json:"serverInfo"`
		} `json:"result"`
	}
	if json.Unmarshal(line, &m) != nil || m.Method != "" {
		return line
	}
	id, ok := canonical(m.ID)
	if !ok {
		return line
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if m.Result != nil && m.Result.ProtocolVersion != "" && len(m.Result.ServerInfo) > 0 {
		f.version = m.Result.ProtocolVersion
	}
	delete(f.pending, id)
	if len(f.pending) == 0 {
		f.idle.Broadcast()
	}
	for i, b := range f.batches {
		if !b.want[id] {
			continue
		}
		delete(b.want, id)
		b.answers = append(b.answers, json.RawMessage(bytes.Clone(bytes.TrimSpace(line))))
		if len(b.want) > 0 {
			return nil
		}
		f.batches = append(f.batches[:i], f.batches[i+1:]...)
		out, _ := json.Marshal(b.answers)
		return append(out, '\n')
	}
	return line
}

// drain waits until every request handed to mcp-go is answered, or
// timeout passes.
func (f *stdioFlow) drain(timeout time.Duration) {
	stop := time.AfterFunc(timeout, func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.pending = map[string]bool{}
		f.idle.Broadcast()
	})
	defer stop.Stop()
	f.mu.Lock()
	defer f.mu.Unlock()
	for len(f.pending) > 0 {
		f.idle.Wait()
	}
}

// lockedWriter serializes whole-line writes of mcp-go and lineGuard to
// one output, passing each message through flow.
type lockedWriter struct {
	mu   sync.Mutex
	w    io.Writer
	flow *stdioFlow
}

// Write implements io.Writer. mcp-go writes one message, newline
// included, per Write.
func (l *lockedWriter) Write(p []byte) (int, error) {
	out := p
	if l.flow != nil {
		out = l.flow.out(p)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(out) == 0 {
		return len(p), nil
	}
	if _, err := l.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}
