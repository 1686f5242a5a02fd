package stdio

import (
	"io"
	"log/slog"
	"strings"
	"testing"
)

func TestLineGuardKeepsAtMostOneLimit(t *testing.T) {
	const limit = 1 << 20
	huge := strings.Repeat("y", 20<<20) + "\n"
	out := &lockedWriter{w: io.Discard}
	g := newLineGuard(strings.NewReader(huge+"{\"ok\":1}\n"), out, limit, slog.New(slog.DiscardHandler))
	got, err := io.ReadAll(g)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "{\"ok\":1}\n" {
		t.Errorf("guard handed over %d bytes, want only the short line", len(got))
	}
	if cap(g.line) > limit {
		t.Errorf("guard buffer grew to %d bytes for a 20 MiB line, limit %d", cap(g.line), limit)
	}
}
