package hosted

import (
	"context"
	"log/slog"
	"strings"
)

// sessionRedactor is the handler of the logger mcp-go's streamable server
// gets: a "session" attribute keeps only the id's nonce, not the tag that
// makes it a usable session id (see session.go).
type sessionRedactor struct{ slog.Handler }

// Handle implements slog.Handler.
// mcp-go's routine session housekeeping (an idle session swept) is logged
// at DEBUG, not at INFO: it is no event an operator acts on.
func (h sessionRedactor) Handle(ctx context.Context, r slog.Record) error {
	level := r.Level
	if level == slog.LevelInfo && strings.HasPrefix(r.Message, "Sweeping expired session") {
		level = slog.LevelDebug
		if !h.Handler.Enabled(ctx, level) {
			return nil
		}
	}
	out := slog.NewRecord(r.Time, level, r.Message, r.PC)
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "session" && a.Value.Kind() == slog.KindString {
			nonce, _, _ := strings.Cut(a.Value.String(), ".")
			a = slog.String("session", nonce+".…")
		}
		out.AddAttrs(a)
		return true
	})
	return h.Handler.Handle(ctx, out)
}

// WithAttrs implements slog.Handler.
func (h sessionRedactor) WithAttrs(attrs []slog.Attr) slog.Handler {
	return sessionRedactor{h.Handler.WithAttrs(attrs)}
}

// WithGroup implements slog.Handler.
func (h sessionRedactor) WithGroup(name string) slog.Handler {
	return sessionRedactor{h.Handler.WithGroup(name)}
}
