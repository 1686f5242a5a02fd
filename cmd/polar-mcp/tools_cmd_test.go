package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/tools"
)

// `polar-mcp tools` lists every tool, one line each with its title and
// who may call it; --json gives the definitions tools/list sends.
func TestToolsCommandListsTheTools(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"tools"}, nil, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	defs := tools.Definitions(false)
	if len(lines) != len(defs) || len(defs) != 8 {
		t.Fatalf("%d lines for %d tools:\n%s", len(lines), len(defs), out.String())
	}
	for i, d := range defs {
		if !strings.HasPrefix(lines[i], d.Name+" ") || !strings.Contains(lines[i], d.Title) {
			t.Errorf("line %d %q lacks %s — %s", i, lines[i], d.Name, d.Title)
		}
	}
	if strings.Count(out.String(), "support agents only") != 2 || strings.Count(out.String(), "customers (their own account)") != 5 {
		t.Errorf("who may call each tool is not said:\n%s", out.String())
	}

	out.Reset()
	if code := run([]string{"tools", "--json"}, nil, &out, &errOut); code != 0 {
		t.Fatalf("--json: exit %d: %s", code, errOut.String())
	}
	var full []struct {
		Name         string         `json:"name"`
		Description  string         `json:"description"`
		InputSchema  map[string]any `json:"inputSchema"`
		OutputSchema map[string]any `json:"outputSchema"`
	}
	if err := json.Unmarshal(out.Bytes(), &full); err != nil || len(full) != 8 {
		t.Fatalf("--json: %v, %d tools", err, len(full))
	}
	for _, d := range full {
		if d.Description == "" || d.InputSchema["type"] != "object" || d.OutputSchema["type"] != "object" {
			t.Errorf("--json: %s is not a full definition: %+v", d.Name, d)
		}
	}

	out.Reset()
	t.Setenv("POLAR_MCP_READ_ONLY", "true")
	if code := run([]string{"tools"}, nil, &out, &errOut); code != 0 || strings.Contains(out.String(), tools.NamePortalLink) {
		t.Errorf("read-only: exit %d, lists %s", code, out.String())
	}
}

// call's mistakes are answered once, naming the fix: a mistyped tool gets
// the nearest name, no tool gets the list, a missing customer names
// --email, a tool's refusal is printed once.
func TestCallNamesTheFix(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		code     int
		want     []string
		excluded []string
	}{
		{[]string{"call", "get_subscription_statu", "--demo", "--email", "alice@example.com"}, exitUsage,
			[]string{"did you mean get_subscription_status?", "polar-mcp tools"}, nil},
		{[]string{"call", "GET_ORDERS_HISTORY", "--demo"}, exitUsage, []string{"did you mean get_order_history?"}, nil},
		{[]string{"call", "--demo"}, exitUsage, []string{"one tool name", tools.NameProducts, tools.NameManageSubscription}, nil},
		{[]string{"call", "zzz", "--demo"}, exitUsage, []string{`no tool is named "zzz"`, tools.NameBenefits}, []string{"did you mean"}},
		{[]string{"call", tools.NameSubscriptionStatus, "--demo"}, exitUsage, []string{"--email"}, nil},
		{[]string{"call", tools.NameVisitorInsights, "--demo"}, exitUsage, []string{"--email"}, nil},
		{[]string{"call", tools.NameOrderHistory, "--demo", "--email", "alice@example.com", "--arg", "limit=99"}, 1,
			[]string{"from 1 to 20"}, []string{"level=", "tool call failed"}},
	} {
		var out, errOut bytes.Buffer
		code := run(tc.args, nil, &out, &errOut)
		msg := errOut.String()
		if code != tc.code {
			t.Errorf("%v: exit %d, want %d: %s", tc.args, code, tc.code, msg)
		}
		for _, w := range tc.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", tc.args, w, msg)
			}
		}
		for _, w := range tc.excluded {
			if strings.Contains(msg, w) {
				t.Errorf("%v: stderr has %q:\n%s", tc.args, w, msg)
			}
		}
		if n := strings.Count(strings.TrimSpace(msg), "polar-mcp:"); n != 1 {
			t.Errorf("%v: the error printed %d times:\n%s", tc.args, n, msg)
		}
	}
}
