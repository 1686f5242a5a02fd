package config

import (
	"io"
	"log/slog"
)

// NewLogger is the logger POLAR_MCP_LOG_LEVEL and POLAR_MCP_LOG_FORMAT
// describe, writing to w. defaultFormat (LogText or LogJSON) applies when
// no format is configured: text for stdio and the CLI, json for http. An
// unset or unknown level (c not validated) is info.
func (c Config) NewLogger(w io.Writer, defaultFormat string) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	format := c.LogFormat
	if format == "" {
		format = defaultFormat
	}
	if format == LogJSON {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
