package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Settings a new user gets wrong exit 2 with a message naming the fix.
func TestFirstHourSettingsMistakes(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want []string
	}{
		{"--config names a directory", nil, []string{"stdio", "--demo", "--config", dir},
			[]string{"is a directory", filepath.Join(dir, "polar-mcp.yaml")}},
		{"--config names a non-YAML file", nil, []string{"stdio", "--demo", "--config", filepath.Join(dir, "polar-mcp")},
			[]string{"*.yaml"}},
		{"allowed origin without a scheme", map[string]string{"POLAR_MCP_ALLOWED_ORIGINS": "example.com"},
			[]string{"http", "--demo", "--listen", "127.0.0.1:0"}, []string{"POLAR_MCP_ALLOWED_ORIGINS", "https://example.com"}},
		{"a config file's bad token", nil, []string{"stdio", "--config", writeFile(t, dir, "bad.yaml", "access_token: sk_bad\n")},
			[]string{"bad.yaml: access_token does not look like a Polar token"}},
		{"an agent with a customer email", nil, []string{"stdio", "--demo", "--role", "agent", "--customer-email", "alice@example.com"},
			[]string{"--role=agent takes no --customer-email", "drop the role"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			var out, errOut bytes.Buffer
			code := run(tc.args, strings.NewReader(""), &out, &errOut)
			if code != exitUsage {
				t.Errorf("exit %d, want %d: %s", code, exitUsage, errOut.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(errOut.String(), w) {
					t.Errorf("stderr lacks %q: %s", w, errOut.String())
				}
			}
			if tc.name == "a config file's bad token" && strings.Contains(errOut.String(), "POLAR_ACCESS_TOKEN") {
				t.Errorf("named the variable, not the config key: %s", errOut.String())
			}
			if strings.Contains(errOut.String(), `Unsupported Config Type`) {
				t.Errorf("viper's message leaked: %s", errOut.String())
			}
		})
	}
}

// writeFile writes text to dir/name and returns its path.
func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
