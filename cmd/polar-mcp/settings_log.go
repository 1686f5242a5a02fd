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

// cliLogger is newLogger for a one-shot CLI command (text unless
// POLAR_MCP_LOG_FORMAT says otherwise), at quiet when POLAR_MCP_LOG_LEVEL
// is unset: such commands print their answer, not the server's logs.
func cliLogger(cfg config.Config, w io.Writer, quiet slog.Level) *slog.Logger {
	if cfg.LogLevel == "" {
		cfg.LogLevel = quiet.String()
	}
	return newLogger(cfg, w, config.LogText)
}
