package hosted

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// mcp-go logs session ids (sweeping expired sessions); only their nonce
// reaches the log, never the tag that makes one usable.
func TestSessionIDsAreRedactedInMCPGoLogs(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(sessionRedactor{slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})}).With("component", "streamable")
	log.Info("Sweeping expired session", "session", "NONCE123.TAGsecret", "other", "kept")
	out := buf.String()
	if strings.Contains(out, "TAGsecret") || !strings.Contains(out, "NONCE123") || !strings.Contains(out, "other=kept") {
		t.Errorf("log line %q", out)
	}
}

// mcp-go's "Sweeping expired session" lines are DEBUG: absent at INFO,
// shown at DEBUG; its other lines keep their level.
func TestSessionSweepsAreDebug(t *testing.T) {
	for _, level := range []slog.Level{slog.LevelInfo, slog.LevelDebug} {
		var buf bytes.Buffer
		log := slog.New(sessionRedactor{slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: level})})
		log.Info("Sweeping expired session", "session", "N.T")
		log.Info("Rejected GET request: streaming is disabled", "session", "N.T")
		out := buf.String()
		swept := strings.Contains(out, "level=DEBUG msg=\"Sweeping expired session\"")
		if swept != (level == slog.LevelDebug) || strings.Contains(out, "level=INFO msg=\"Sweeping") {
			t.Errorf("at %v: %q", level, out)
		}
		if !strings.Contains(out, "level=INFO msg=\"Rejected GET") {
			t.Errorf("at %v another mcp-go line lost its level: %q", level, out)
		}
	}
}
