package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// claudeServer is one server in Claude Code's ~/.claude.json.
type claudeServer struct {
	Type    string            `json:"type"`
	Command string            `json:"command"`
	Args    []string          `json:"args"`
	Env     map[string]string `json:"env"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
}

// README's `claude mcp add` lines run as written with Claude Code's own
// CLI (it needs no network to add a server), each in an empty home, and
// register the server README says they do.
func TestReadmeClaudeCodeCommands(t *testing.T) {
	claude, err := exec.LookPath("claude")
	if err != nil {
		t.Skip("Claude Code's CLI (npm install -g @anthropic-ai/claude-code) is not on PATH")
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(l, "claude mcp add ") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 2 {
		t.Fatalf("README has %d `claude mcp add` lines, want the stdio one and the http one: %q", len(lines), lines)
	}
	const callerToken = "eyJ.caller.token"
	for _, line := range lines {
		home := t.TempDir()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		cmd := exec.CommandContext(ctx, "bash", "-c", line)
		cmd.Dir = home
		cmd.Env = []string{"HOME=" + home, "PATH=" + filepath.Dir(claude) + ":/usr/local/bin:/usr/bin:/bin",
			"POLAR_MCP_CALLER_TOKEN=" + callerToken, "DISABLE_TELEMETRY=1", "DISABLE_AUTOUPDATER=1",
			"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1"}
		out, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			t.Errorf("%s\nfailed: %v\n%s", line, err, out)
			continue
		}
		raw, err := os.ReadFile(filepath.Join(home, ".claude.json"))
		if err != nil {
			t.Fatalf("%s: no ~/.claude.json: %v\n%s", line, err, out)
		}
		var cfg struct {
			Projects map[string]struct {
				MCPServers map[string]claudeServer `json:"mcpServers"`
			} `json:"projects"`
		}
		if err := json.Unmarshal(raw, &cfg); err != nil {
			t.Fatal(err)
		}
		var servers map[string]claudeServer
		for _, p := range cfg.Projects {
			servers = p.MCPServers
		}
		got, ok := servers["polar"]
		if !ok || len(servers) != 1 {
			t.Errorf("%s registered %v, want one server named polar", line, servers)
			continue
		}
		switch got.Type {
		case "stdio":
			if got.Command != "/path/to/polar-mcp" || !slices.Equal(got.Args, []string{"stdio"}) ||
				got.Env["POLAR_MCP_ROLE"] != "agent" || !strings.HasPrefix(got.Env["POLAR_ACCESS_TOKEN"], "polar_oat_") || len(got.Env) != 2 {
				t.Errorf("%s registered %+v", line, got)
			}
		case "http":
			if got.URL != "https://mcp.example.com/mcp" || got.Headers["Authorization"] != "Bearer "+callerToken {
				t.Errorf("%s registered %+v", line, got)
			}
		default:
			t.Errorf("%s registered a %q server", line, got.Type)
		}
	}
}
