package main

import (
	"bytes"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe for a writer and a reader at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// unreachable are Polar servers that cannot answer, and what an operator
// must read about each: the address and the cause.
func unreachable(t *testing.T) map[string][]string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	return map[string][]string{
		closed:                  {closed, "connection refused", "check the server URL"},
		"https://polar.invalid": {"https://polar.invalid", "no such host", "DNS"},
	}
}

// check with an unreachable Polar names the address, the cause and what
// to check.
func TestCheckNamesAnUnreachablePolar(t *testing.T) {
	for server, wants := range unreachable(t) {
		t.Setenv("POLAR_ACCESS_TOKEN", "polar_oat_netfail_test_token_0123456789abcdef")
		t.Setenv("POLAR_SERVER_URL", server)
		var out, errOut bytes.Buffer
		if code := run([]string{"check"}, nil, &out, &errOut); code != 1 {
			t.Errorf("%s: exit %d, want 1", server, code)
		}
		for _, w := range wants {
			if !strings.Contains(errOut.String(), w) {
				t.Errorf("%s: check's error lacks %q:\n%s", server, w, errOut.String())
			}
		}
		if strings.Contains(out.String()+errOut.String(), "netfail_test_token") {
			t.Error("check printed the token")
		}
	}
}

// stdio with an unreachable Polar logs it at start, with the address and
// the cause, before any tool is called.
func TestStdioLogsAnUnreachablePolarAtStart(t *testing.T) {
	for server, wants := range unreachable(t) {
		t.Setenv("POLAR_ACCESS_TOKEN", "polar_oat_netfail_test_token_0123456789abcdef")
		t.Setenv("POLAR_SERVER_URL", server)
		t.Setenv("POLAR_MCP_ROLE", "agent")
		in, stdin := io.Pipe()
		var stdout bytes.Buffer
		stderr := &lockedBuffer{}
		done := make(chan int, 1)
		go func() { done <- run([]string{"stdio"}, in, &stdout, stderr) }()
		deadline := time.Now().Add(30 * time.Second)
		for !strings.Contains(stderr.String(), "did not answer at start") && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		stdin.Close()
		<-done
		log := stderr.String()
		for _, w := range append(wants, "did not answer at start") {
			if !strings.Contains(log, w) {
				t.Errorf("%s: stdio's log lacks %q:\n%s", server, w, log)
			}
		}
	}
}
