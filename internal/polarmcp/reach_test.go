package polarmcp

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/config"
)

// polar-mcp http with a single merchant whose Polar cannot answer names
// it at start, with the address, the cause and what to check, before any
// tool call, as stdio does (with Redis, webhooks or connections the
// organization's probe says it, see fleet.LearnOrganization).
func TestHTTPLogsAnUnreachablePolarAtStart(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	cfg := config.Config{AccessToken: "polar_oat_reach_test_token_0123456789abcdef", ServerURL: closed,
		Listen: freeAddr(t), TokenSecret: testSecret}
	if err := cfg.ValidateServer(); err != nil {
		t.Fatal(err)
	}
	var log syncBuffer
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ServeHTTP(ctx, cfg, slog.New(slog.NewTextHandler(&log, nil)), nil) }()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(log.String(), "did not answer at start") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	var line string
	for _, l := range strings.Split(log.String(), "\n") {
		if strings.Contains(l, "did not answer at start") {
			line = l
		}
	}
	for _, w := range []string{"level=WARN", closed, "connection refused", "check the server URL"} {
		if !strings.Contains(line, w) {
			t.Errorf("the start-up line lacks %q: %q\nlog:\n%s", w, line, log.String())
		}
	}
	if strings.Contains(log.String(), "reach_test_token") {
		t.Error("the log names the token")
	}
}
