package main

import (
	"io"
	"log/slog"

	"github.com/polar-mcp/polar-mcp/config"
)

// newLogger is the logger cfg's POLAR_MCP_LOG_LEVEL and POLAR_MCP_LOG_FORMAT
// describe, writing to w. defaultFormat (config.LogText or config.LogJSON)
// applies when no format is configured: text for stdio and the CLI, json
// for http. An unset or unknown level (cfg not validated) is info.
func newLogger(cfg config.Config, w io.Writer, defaultFormat string) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	format := cfg.LogFormat
	if format == "" {
		format = defaultFormat
	}
	if format == config.LogJSON {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
