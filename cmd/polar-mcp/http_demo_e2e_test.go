//go:build e2e

package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/tools"
)

// `polar-mcp http --demo` with no setting at all serves the demo
// organization and prints the URLs and caller tokens that work with it:
// through real MCP clients on both transports, and the agent panel.
func TestHTTPDemoNeedsNoSetting(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and spawns the binary")
	}
	bin := buildBinary(t)
	cmd := exec.Command(bin, "http", "--demo", "--listen", "127.0.0.1:0")
	cmd.Dir, cmd.Env = t.TempDir(), append(cleanEnv(), "HOME="+t.TempDir())
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	printed := map[string]string{}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	timeout := time.After(30 * time.Second)
read:
	for {
		select {
		case line, ok := <-lines:
			if !ok || strings.HasPrefix(line, "Stop with") {
				break read
			}
			f := strings.Fields(line)
			switch {
			case len(f) >= 3 && f[0] == "streamable":
				printed["mcp"] = f[2]
			case len(f) >= 3 && f[0] == "legacy":
				printed["sse"] = f[2]
			case len(f) >= 3 && f[0] == "agent" && f[1] == "panel":
				printed["panel"] = f[2]
			case len(f) == 2 && f[0] == "agent":
				printed["agent"] = f[1]
			case len(f) == 3 && f[0] == "customer":
				printed["customer"] = f[2]
			}
		case <-timeout:
			t.Fatal("http --demo printed no banner within 30 s")
		}
	}
	for _, k := range []string{"mcp", "sse", "panel", "agent", "customer"} {
		if printed[k] == "" {
			t.Fatalf("the banner has no %s: %v", k, printed)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	text, isErr, err := testkit.CallTool(ctx, mcpClient(t, printed["mcp"], printed["customer"]), tools.NameSubscriptionStatus, nil)
	if err != nil || isErr || !strings.Contains(text, "€24.00") {
		t.Errorf("the printed customer token over streamable HTTP: %q, %v, %v", text, isErr, err)
	}
	text, isErr, err = testkit.CallTool(ctx, mcpClient(t, printed["sse"], printed["agent"]), tools.NameVisitorInsights, map[string]any{"email": "bob@example.com"})
	if err != nil || isErr || !strings.Contains(text, "$490.00 / year") {
		t.Errorf("the printed agent token over SSE: %q, %v, %v", text, isErr, err)
	}
	res, err := http.Get(printed["panel"])
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Errorf("the panel: %s %s", res.Status, res.Header.Get("Content-Type"))
	}
}
