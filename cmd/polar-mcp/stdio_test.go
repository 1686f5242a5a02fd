package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

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
	if code != 0 || !strings.Contains(stdout.String(), "Your last 2 orders") {
		t.Fatalf("exit %d stdout %q stderr %q", code, stdout.String(), stderr.String())
	}
}
