//go:build e2e

// The e2e tier: these tests build polar-mcp with `go build` and spawn it.
// Run them with `go test -tags e2e ./cmd/polar-mcp/`.

package main

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/internal/buildinfo"
	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/tools"
)

// The demo organization's Alice and Bob, and the Polar token of the fake
// that TestAnAddressThatMovesOverStdio changes between two calls.
const (
	identityPolarToken = "polar_oat_identity_test_token"
	aliceID            = "c1000000-0001-4000-8001-000000000001"
	bobID              = "c1000000-0001-4000-8002-000000000002"
)

// built is the polar-mcp that buildBinary built for this test binary run,
// in a directory TestMain removes.
var built struct {
	once     sync.Once
	dir, bin string
	err      error
	out      []byte
}

// TestMain removes the binary buildBinary built.
func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// buildBinary builds polar-mcp once per test binary run.
func buildBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "polar-mcp-e2e-"); built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "polar-mcp")
		built.out, built.err = exec.Command("go", "build", "-o", built.bin, ".").CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("go build: %v\n%s", built.err, built.out)
	}
	return built.bin
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

// stdioClient spawns bin with env and args, as Claude Desktop would, and
// initializes an MCP session over its stdio. The context bounds the test.
func stdioClient(t *testing.T, bin string, env []string, args ...string) (*client.Client, *mcp.InitializeResult, context.Context) {
	t.Helper()
	c, err := client.NewStdioMCPClient(bin, env, args...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "cmd-test", Version: "1"}
	res, err := c.Initialize(ctx, init)
	if err != nil {
		t.Fatal(err)
	}
	return c, res, ctx
}

// TestVersionFromVCSStamp builds the binary plainly (no ldflags) from a git
// checkout and checks --version falls back to the revision the Go
// toolchain stamped. Go stamps no revision in a git worktree or outside
// git: the test then skips, saying why.
func TestVersionFromVCSStamp(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	head, err := exec.Command("git", "-C", repoRoot, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skip("not a git checkout")
	}
	bin := filepath.Join(t.TempDir(), "polar-mcp")
	build := exec.Command("go", "build", "-buildvcs=auto", "-o", bin, ".")
	build.Env = append(cleanEnv(), "GOFLAGS=")
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	meta, err := exec.Command("go", "version", "-m", bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(meta), "vcs.revision=") {
		t.Skip("the toolchain stamped no vcs.revision here (a git worktree?): nothing to fall back to")
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(out), "\n")
	if len(lines) < 3 || !strings.HasPrefix(lines[1], "commit: "+strings.TrimSpace(string(head))) {
		t.Errorf("--version printed %q, want commit %s", out, head)
	}
	if strings.Contains(lines[2], buildinfo.Unknown) {
		t.Errorf("--version printed no date (vcs.time): %q", out)
	}
}

// TestAnAddressThatMovesOverStdio runs the built binary over stdio for the
// verified customer alice@example.com, against a fake Polar the test
// changes between two calls.
func TestAnAddressThatMovesOverStdio(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and spawns the binary")
	}
	fake, err := fakepolar.Demo(fakepolar.Options{Tokens: map[string][]string{identityPolarToken: fakepolar.AllScopes()}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(fake)
	defer ts.Close()
	env := append(cleanEnv(), "POLAR_ACCESS_TOKEN="+identityPolarToken, "POLAR_SERVER_URL="+ts.URL,
		"POLAR_MCP_CUSTOMER_EMAIL=alice@example.com")
	c, _, ctx := stdioClient(t, buildBinary(t), env, "stdio")
	if text, isErr, err := testkit.CallTool(ctx, c, tools.NameSubscriptionStatus, nil); err != nil || isErr || !strings.Contains(text, "€24.00") {
		t.Fatalf("before the move: %q, %v", text, err)
	}
	if _, err := fake.UpdateCustomer(aliceID, map[string]any{"email": "alice.new@example.com"}); err != nil {
		t.Fatal(err)
	}
	if _, err := fake.UpdateCustomer(bobID, map[string]any{"email": "alice@example.com"}); err != nil {
		t.Fatal(err)
	}
	for tool, want := range map[string]string{tools.NameSubscriptionStatus: "$490.00 / year", tools.NameBenefits: "B21C"} {
		text, isErr, err := testkit.CallTool(ctx, c, tool, nil)
		if err != nil || isErr || !strings.Contains(text, want) || strings.Contains(text, "€") || strings.Contains(text, "7F3A") {
			t.Errorf("after the move, %s = %q, want Bob's record (%s)", tool, text, want)
		}
	}
}
