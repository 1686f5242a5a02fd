package config_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/config"
)

func TestNewLoggerLevelAndFormat(t *testing.T) {
	cases := []struct {
		level, format, def string
		wantJSON           bool
		wantDebug, wantErr bool // whether a debug and an error line are written
	}{
		{"", "", config.LogText, false, false, true},
		{"", "", config.LogJSON, true, false, true},
		{"debug", "", config.LogText, false, true, true},
		{"error", "json", config.LogText, true, false, true},
		{"warn", "text", config.LogJSON, false, false, true},
	}
	for _, tc := range cases {
		t.Run(tc.level+"/"+tc.format+"/"+tc.def, func(t *testing.T) {
			var buf bytes.Buffer
			logger := config.Config{LogLevel: tc.level, LogFormat: tc.format}.NewLogger(&buf, tc.def)
			logger.Debug("debug-line")
			logger.Error("error-line")
			out := buf.String()
			if strings.Contains(out, "debug-line") != tc.wantDebug || strings.Contains(out, "error-line") != tc.wantErr {
				t.Fatalf("level %q wrote %q", tc.level, out)
			}
			first, _, _ := strings.Cut(out, "\n")
			var rec map[string]any
			isJSON := json.Unmarshal([]byte(first), &rec) == nil
			if isJSON != tc.wantJSON {
				t.Fatalf("format: json %v, want %v: %q", isJSON, tc.wantJSON, first)
			}
		})
	}
}
