package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/config"
)

// isolateSettings clears every polar-mcp setting from the environment and
// moves to an empty directory with an empty $HOME: no config file.
func isolateSettings(t *testing.T) {
	t.Helper()
	for _, s := range config.Settings() {
		t.Setenv(s.Env, "")
		t.Setenv(s.Env+"_FILE", "")
	}
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv("HOME", dir)
}

// writeConfigFile writes ./polar-mcp.yaml.
func writeConfigFile(t *testing.T, yaml string) {
	t.Helper()
	if err := os.WriteFile("polar-mcp.yaml", []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
}

// readSettings reads the configuration of polar-mcp http with args, from
// the environment and ./polar-mcp.yaml the test set up.
func readSettings(t *testing.T, args ...string) (config.Config, error) {
	t.Helper()
	root := newRootCmd(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	cmd, _, err := root.Find([]string{"http"})
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.ParseFlags(args); err != nil {
		return config.Config{}, err
	}
	return readConfig(cmd)
}

// runStdio runs polar-mcp stdio --demo with args and returns its exit code
// and output.
func runStdio(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(append([]string{"stdio", "--demo"}, args...), strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestBadSettingValuesExitWithCode2(t *testing.T) {
	cases := []struct {
		key, env, flag, bad string
		want                string // in the message, besides the setting's name
	}{
		{"read_only", "POLAR_MCP_READ_ONLY", "read-only", "maybe", "not a boolean"},
		{"rate_limit", "POLAR_MCP_RATE_LIMIT", "", "abc", "not a whole number"},
		{"rate_limit", "POLAR_MCP_RATE_LIMIT", "", "1.5", "not a whole number"},
		{"rate_headroom", "POLAR_MCP_RATE_HEADROOM", "", "10%", "not a number"},
		{"cache_customer_ttl", "POLAR_MCP_CACHE_CUSTOMER_TTL", "", "forever", "not a duration"},
		{"cache_billing_ttl", "POLAR_MCP_CACHE_BILLING_TTL", "", "5", "not a duration"},
		{"token_max_ttl", "POLAR_MCP_TOKEN_MAX_TTL", "", "0s", "greater than 0"},
		{"max_streams_per_caller", "POLAR_MCP_MAX_STREAMS_PER_CALLER", "", "0", "greater than 0"},
		{"max_connections", "POLAR_MCP_MAX_CONNECTIONS", "", "lots", "not a whole number"},
		{"session_idle_ttl", "POLAR_MCP_SESSION_IDLE_TTL", "", "-1m", "greater than 0"},
		{"expected_instances", "POLAR_MCP_EXPECTED_INSTANCES", "", "two", "not a whole number"},
	}
	for _, tc := range cases {
		sources := map[string]func(t *testing.T) (int, string, string){
			"env": func(t *testing.T) (int, string, string) {
				t.Setenv(tc.env, tc.bad)
				return runStdio(t)
			},
			"yaml": func(t *testing.T) (int, string, string) {
				writeConfigFile(t, tc.key+": "+tc.bad+"\n")
				return runStdio(t)
			},
		}
		if tc.flag != "" {
			sources["flag"] = func(t *testing.T) (int, string, string) { return runStdio(t, "--"+tc.flag+"="+tc.bad) }
		}
		for name, source := range sources {
			t.Run(tc.key+"="+tc.bad+"/"+name, func(t *testing.T) {
				isolateSettings(t)
				code, stdout, stderr := source(t)
				named := map[string]string{"env": tc.env, "yaml": "polar-mcp.yaml: " + tc.key, "flag": "--" + tc.flag}[name]
				if code != exitUsage || !strings.Contains(stderr, named) || !strings.Contains(stderr, tc.want) {
					t.Fatalf("exit %d, stderr %q; want %d naming %q and %q", code, stderr, exitUsage, named, tc.want)
				}
				if stdout != "" {
					t.Errorf("something was served: %q", stdout)
				}
			})
		}
	}
}

func TestBooleanSpellings(t *testing.T) {
	spellings := map[string]bool{
		"true": true, "TRUE": true, "True": true, "1": true, "yes": true, "YES": true, "on": true, "On": true,
		"false": false, "FALSE": false, "0": false, "no": false, "No": false, "off": false, "OFF": false,
	}
	for spelling, want := range spellings {
		for _, source := range []string{"env", "flag", "yaml", "yaml quoted"} {
			t.Run(source+"/"+spelling, func(t *testing.T) {
				isolateSettings(t)
				var args []string
				switch source {
				case "env":
					t.Setenv("POLAR_MCP_READ_ONLY", spelling)
				case "flag":
					args = []string{"--read-only=" + spelling}
				case "yaml":
					writeConfigFile(t, "read_only: "+spelling+"\n")
				case "yaml quoted":
					writeConfigFile(t, "read_only: \""+spelling+"\"\n")
				}
				cfg, err := readSettings(t, args...)
				if err != nil || cfg.ReadOnly != want {
					t.Fatalf("read_only = %v (err %v), want %v", cfg.ReadOnly, err, want)
				}
			})
		}
	}
	t.Run("bare flag", func(t *testing.T) {
		isolateSettings(t)
		t.Setenv("POLAR_MCP_READ_ONLY", "no")
		if cfg, err := readSettings(t, "--read-only"); err != nil || !cfg.ReadOnly {
			t.Fatalf("--read-only: %v %v", cfg.ReadOnly, err)
		}
	})
	t.Run("demo flag", func(t *testing.T) {
		isolateSettings(t)
		if cfg, err := readSettings(t, "--demo=yes"); err != nil || !cfg.Demo {
			t.Fatalf("--demo=yes: %v %v", cfg.Demo, err)
		}
	})
	t.Run("demo flag refused", func(t *testing.T) {
		isolateSettings(t)
		if code, _, stderr := runStdio(t, "--demo=maybe"); code != exitUsage || !strings.Contains(stderr, `"--demo"`) {
			t.Fatalf("--demo=maybe: exit %d, stderr %q", code, stderr)
		}
	})
	for _, bad := range []string{"t", "y", "2", "enabled", "nope"} {
		t.Run("refused/"+bad, func(t *testing.T) {
			isolateSettings(t)
			t.Setenv("POLAR_MCP_READ_ONLY", bad)
			if _, err := readSettings(t); err == nil || !strings.Contains(err.Error(), "POLAR_MCP_READ_ONLY") {
				t.Fatalf("POLAR_MCP_READ_ONLY=%s: err %v", bad, err)
			}
		})
	}
}

func TestUnknownConfigFileKey(t *testing.T) {
	cases := []struct{ yaml, want string }{
		{"read-only: true\n", `unknown key "read-only" (did you mean "read_only"?)`},
		{"rate_limt: 100\n", `unknown key "rate_limt" (did you mean "rate_limit"?)`},
		{"acess_token_file: /run/secrets/polar\n", `did you mean "access_token_file"?`},
		{"POLAR_MCP_ROLE: agent\n", `unknown key "polar_mcp_role" (keys are lower case without the prefix: "role")`},
		{"tools:\n  read_only: true\n", `unknown key "tools.read_only"`},
		{"zzzzzz: 1\n", `unknown key "zzzzzz"`},
	}
	for _, tc := range cases {
		t.Run(tc.yaml, func(t *testing.T) {
			isolateSettings(t)
			writeConfigFile(t, "role: agent\n"+tc.yaml)
			code, stdout, stderr := runStdio(t)
			if code != exitUsage || !strings.Contains(stderr, tc.want) || stdout != "" {
				t.Fatalf("exit %d, stderr %q, stdout %q; want %d and %q", code, stderr, stdout, exitUsage, tc.want)
			}
		})
	}
	t.Run("no far-fetched suggestion", func(t *testing.T) {
		isolateSettings(t)
		writeConfigFile(t, "zzzzzz: 1\n")
		if _, _, stderr := runStdio(t); strings.Contains(stderr, "did you mean") {
			t.Errorf("suggested a key for zzzzzz: %q", stderr)
		}
	})
}

func TestConfigFileValueTypes(t *testing.T) {
	isolateSettings(t)
	writeConfigFile(t, `rate_limit: 100
rate_headroom: 0.25
cache_billing_ttl: 3s
allowed_origins: [https://a.example.com, "https://b.example.com"]
max_connections: 0
locale: de-CH
`)
	cfg, err := readSettings(t)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.RateLimit != 100 || cfg.RateHeadroom != 0.25 || cfg.BillingCacheTTL != 3*time.Second || cfg.Locale != "de-CH" {
		t.Errorf("values: %d %v %v %q", cfg.RateLimit, cfg.RateHeadroom, cfg.BillingCacheTTL, cfg.Locale)
	}
	if strings.Join(cfg.AllowedOrigins, " ") != "https://a.example.com https://b.example.com" {
		t.Errorf("origins %q", cfg.AllowedOrigins)
	}
	t.Setenv("POLAR_MCP_ALLOWED_ORIGINS", "https://c.example.com, https://d.example.com")
	if cfg, err = readSettings(t, "--allowed-origins", "https://e.example.com"); err != nil || strings.Join(cfg.AllowedOrigins, " ") != "https://e.example.com" {
		t.Errorf("flag origins %q (%v)", cfg.AllowedOrigins, err)
	}
	if cfg, err = readSettings(t); err != nil || strings.Join(cfg.AllowedOrigins, " ") != "https://c.example.com https://d.example.com" {
		t.Errorf("env origins %q (%v)", cfg.AllowedOrigins, err)
	}
	writeConfigFile(t, "rate_limit: [1, 2]\n")
	if _, err := readSettings(t); err == nil || !strings.Contains(err.Error(), "rate_limit must be a single value") {
		t.Errorf("list for a number: %v", err)
	}
}
