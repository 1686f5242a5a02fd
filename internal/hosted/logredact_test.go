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
	log := slog.New(sessionRedactor{slog.NewTextHandler(&buf, nil)}).With("component", "streamable")
	log.Info("Sweeping expired session", "session", "NONCE123.TAGsecret", "other", "kept")
	out := buf.String()
	if strings.Contains(out, "TAGsecret") || !strings.Contains(out, "NONCE123") || !strings.Contains(out, "other=kept") {
		t.Errorf("log line %q", out)
	}
}
