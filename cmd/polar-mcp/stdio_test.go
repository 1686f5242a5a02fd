package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/internal/testkit"
)

// buildBinary builds polar-mcp once per test binary run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "polar-mcp")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestStdioDemoThroughSpawnedBinary drives the real binary over stdio with
// mcp-go's stdio client, as Claude Desktop would.
func TestStdioDemoThroughSpawnedBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and spawns the binary")
	}
	bin := buildBinary(t)
	cases := []struct {
		name      string
		env       []string
		wantTools int
		tool      string
		args      map[string]any
		want      string
	}{
		{"customer", []string{"POLAR_MCP_CUSTOMER_EMAIL=carol@example.com"}, 6, "get_subscription_status", nil, "paused"},
		{"customer by external id", []string{"POLAR_MCP_CUSTOMER_EXTERNAL_ID=usr_1003"}, 6, "get_subscription_status", nil, "paused"},
		{"external id and email of two customers", []string{"POLAR_MCP_CUSTOMER_EXTERNAL_ID=usr_1003", "POLAR_MCP_CUSTOMER_EMAIL=bob@example.com"}, 6, "get_subscription_status", nil, "two different customer accounts"},
		{"agent", []string{"POLAR_MCP_ROLE=agent"}, 8, "get_visitor_insights", map[string]any{"email": "bob@example.com"}, "$490.00 / year"},
		{"agent finds a customer", []string{"POLAR_MCP_ROLE=agent"}, 8, "find_customers", map[string]any{"query": "Miller"}, "Frank Miller <Frank.Miller@Example.com>"},
		{"read-only customer", []string{"POLAR_MCP_CUSTOMER_EMAIL=alice@example.com", "POLAR_MCP_READ_ONLY=true"}, 4, "get_benefits", nil, "PRO-****-****-7F3A"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _, ctx := stdioClient(t, bin, append(cleanEnv(), tc.env...), "stdio", "--demo")
			list, err := c.ListTools(ctx, mcp.ListToolsRequest{})
			if err != nil {
				t.Fatal(err)
			}
			if len(list.Tools) != tc.wantTools {
				t.Errorf("%d tools, want %d", len(list.Tools), tc.wantTools)
			}
			req := mcp.CallToolRequest{}
			req.Params.Name = tc.tool
			req.Params.Arguments = tc.args
			res, err := c.CallTool(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			got := testkit.Text(res)
			refusal := strings.HasPrefix(tc.name, "external id and email") // must be refused, not answered
			if res.IsError != refusal || !strings.Contains(got, tc.want) {
				t.Errorf("%s = %q (isError %v), want %q", tc.tool, got, res.IsError, tc.want)
			}
		})
	}
}

// cleanEnv is the test's environment without any polar-mcp settings.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "POLAR_") {
			env = append(env, kv)
		}
	}
	return env
}

func TestStartupValidationExitsWithCode2(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"missing token", nil, "POLAR_ACCESS_TOKEN is required"},
		{"not a polar token", map[string]string{"POLAR_ACCESS_TOKEN": "sk_live_abcdef"}, "must start with polar_"},
		{"unknown environment", map[string]string{"POLAR_ACCESS_TOKEN": "polar_oat_x", "POLAR_ENVIRONMENT": "staging"}, "POLAR_ENVIRONMENT"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, k := range []string{"POLAR_ACCESS_TOKEN", "POLAR_ENVIRONMENT", "POLAR_SERVER_URL", "POLAR_MCP_CUSTOMER_EMAIL", "POLAR_MCP_ROLE"} {
				t.Setenv(k, tc.env[k])
			}
			t.Chdir(t.TempDir()) // no polar-mcp.yaml
			var stdout, stderr bytes.Buffer
			code := run([]string{"stdio"}, strings.NewReader(""), &stdout, &stderr)
			if code != exitUsage || !strings.Contains(stderr.String(), tc.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, stderr.String(), exitUsage, tc.want)
			}
			if stdout.Len() != 0 {
				t.Errorf("something was served: %q", stdout.String())
			}
			if tok := tc.env["POLAR_ACCESS_TOKEN"]; tok != "" && strings.Contains(stderr.String(), tok) {
				t.Error("the token was echoed")
			}
		})
	}
}

func TestConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	yaml := "access_token: polar_oat_from_file\nenvironment: sandbox\nrole: agent\ncustomer_email: file@example.com\n"
	if err := os.WriteFile("polar-mcp.yaml", []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("POLAR_ACCESS_TOKEN", "")
	t.Setenv("POLAR_MCP_ROLE", "customer")
	t.Setenv("POLAR_MCP_CUSTOMER_EMAIL", "env@example.com")
	t.Setenv("POLAR_ENVIRONMENT", "")
	root := newRootCmd(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	if err := root.ParseFlags([]string{"--customer-email", "flag@example.com"}); err != nil {
		t.Fatal(err)
	}
	cfg, err := loadConfig(root)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.AccessToken != "polar_oat_from_file" || cfg.Environment != "sandbox" {
		t.Errorf("file values not read: %+v", cfg.Environment)
	}
	if cfg.Role != "customer" {
		t.Errorf("environment should beat the file: role %q", cfg.Role)
	}
	if cfg.CustomerEmail != "flag@example.com" {
		t.Errorf("flag should beat the environment: email %q", cfg.CustomerEmail)
	}
}

func TestCallCommandDemo(t *testing.T) {
	t.Chdir(t.TempDir())
	var stdout, stderr bytes.Buffer
	code := run([]string{"call", "get_order_history", "--demo", "--email", "alice@example.com", "--arg", "limit=2"}, nil, &stdout, &stderr)
	if code != 0 || !strings.Contains(stdout.String(), "Last 2 order(s)") {
		t.Fatalf("exit %d stdout %q stderr %q", code, stdout.String(), stderr.String())
	}
}
