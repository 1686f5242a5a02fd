package hosted

import (
	"bufio"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// rawStream is an SSE stream read by hand.
type rawStream struct {
	resp     *http.Response
	events   chan sseEvent
	endpoint string // the message endpoint, absolute
	once     sync.Once
}

type sseEvent struct{ name, data string }

// openStream opens GET /sse with tok and waits for the endpoint event.
func openStream(t *testing.T, base, path, tok string) *rawStream {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	s := &rawStream{resp: resp, events: make(chan sseEvent, 64)}
	t.Cleanup(s.close)
	go s.read()
	ev := s.next(t)
	if ev.name != "endpoint" {
		t.Fatalf("first event %q, want endpoint", ev.name)
	}
	s.endpoint = base + strings.TrimSpace(ev.data)
	return s
}

func (s *rawStream) close() { s.once.Do(func() { s.resp.Body.Close() }) }

func (s *rawStream) read() {
	defer close(s.events)
	sc := bufio.NewScanner(s.resp.Body)
	var ev sseEvent
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		switch {
		case line == "":
			if ev.name != "" || ev.data != "" {
				s.events <- ev
			}
			ev = sseEvent{}
		case strings.HasPrefix(line, "event:"):
			ev.name = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
		case strings.HasPrefix(line, "data:"):
			ev.data += strings.TrimSpace(strings.TrimPrefix(line, "data:"))
		}
	}
}

// next returns the next event; it fails the test if the stream ends.
func (s *rawStream) next(t *testing.T) sseEvent {
	t.Helper()
	select {
	case ev, ok := <-s.events:
		if !ok {
			t.Fatal("SSE stream ended")
		}
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no SSE event within 10s")
	}
	return sseEvent{}
}
