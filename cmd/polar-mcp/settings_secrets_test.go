package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/config"
)

// secretSettings are the settings that can be read from a _FILE, with the
// field each fills.
var secretSettings = []struct {
	env, key string
	get      func(config.Config) string
}{
	{"POLAR_ACCESS_TOKEN", "access_token", func(c config.Config) string { return c.AccessToken }},
	{"POLAR_MCP_TOKEN_SECRET", "token_secret", func(c config.Config) string { return c.TokenSecret }},
	{"POLAR_MCP_ADMIN_KEY", "admin_key", func(c config.Config) string { return c.AdminKey }},
	{"POLAR_MCP_WEBHOOK_SECRET", "webhook_secret", func(c config.Config) string { return c.WebhookSecret }},
	{"POLAR_MCP_REDIS_URL", "redis_url", func(c config.Config) string { return c.RedisURL }},
	{"POLAR_MCP_DATABASE_URL", "database_url", func(c config.Config) string { return c.DatabaseURL }},
}

// writeSecret writes content to a file in the working directory and
// returns its absolute path.
func writeSecret(t *testing.T, name, content string) string {
	t.Helper()
	p, err := filepath.Abs(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSecretFromFile(t *testing.T) {
	const secretValue = "s3cr3t-Value-from-a-file"
	for _, s := range secretSettings {
		t.Run(s.env, func(t *testing.T) {
			isolateSettings(t)
			for _, content := range []string{secretValue, secretValue + "\n", secretValue + "\r\n", secretValue + "\n\n"} {
				t.Setenv(s.env+"_FILE", writeSecret(t, "secret", content))
				cfg, err := readSettings(t)
				if err != nil || s.get(cfg) != secretValue {
					t.Fatalf("content %q: got %q, err %v", content, s.get(cfg), err)
				}
			}

			t.Setenv(s.env+"_FILE", "")
			writeConfigFile(t, s.key+"_file: "+writeSecret(t, "from-yaml", secretValue+"\n")+"\n")
			if cfg, err := readSettings(t); err != nil || s.get(cfg) != secretValue {
				t.Fatalf("%s_file in the config file: got %q, err %v", s.key, s.get(cfg), err)
			}

			writeConfigFile(t, s.key+": from-the-config-file\n")
			t.Setenv(s.env+"_FILE", writeSecret(t, "env", secretValue))
			if cfg, err := readSettings(t); err != nil || s.get(cfg) != secretValue {
				t.Fatalf("the environment's _FILE should beat the config file: got %q, err %v", s.get(cfg), err)
			}
		})
	}
}

func TestSecretFileErrorsExitWithCode2(t *testing.T) {
	const secretValue = "s3cr3t-Value-never-shown"
	cases := []struct {
		name  string
		setup func(t *testing.T, env, key string)
		want  func(env, key string) string
	}{
		{"empty file", func(t *testing.T, env, _ string) {
			t.Setenv(env+"_FILE", writeSecret(t, "empty", ""))
		}, func(env, _ string) string { return env + `_FILE: file "` }},
		{"only a newline", func(t *testing.T, env, _ string) {
			t.Setenv(env+"_FILE", writeSecret(t, "newline", "\n"))
		}, func(string, string) string { return `is empty` }},
		{"missing file", func(t *testing.T, env, _ string) {
			t.Setenv(env+"_FILE", filepath.Join(t.TempDir(), "nope"))
		}, func(env, _ string) string { return env + "_FILE: cannot read the file" }},
		{"a directory", func(t *testing.T, env, _ string) {
			t.Setenv(env+"_FILE", t.TempDir())
		}, func(env, _ string) string { return env + "_FILE: cannot read file" }},
		{"both in the environment", func(t *testing.T, env, _ string) {
			t.Setenv(env, secretValue)
			t.Setenv(env+"_FILE", writeSecret(t, "both", secretValue))
		}, func(env, _ string) string { return "set " + env + " or " + env + "_FILE, not both" }},
		{"both in the config file", func(t *testing.T, _, key string) {
			writeConfigFile(t, key+": "+secretValue+"\n"+key+"_file: "+writeSecret(t, "both", secretValue)+"\n")
		}, func(_, key string) string {
			return "set polar-mcp.yaml: " + key + " or polar-mcp.yaml: " + key + "_file, not both"
		}},
	}
	for _, s := range secretSettings {
		for _, tc := range cases {
			t.Run(s.env+"/"+tc.name, func(t *testing.T) {
				isolateSettings(t)
				tc.setup(t, s.env, s.key)
				code, stdout, stderr := runStdio(t)
				if want := tc.want(s.env, s.key); code != exitUsage || !strings.Contains(stderr, want) {
					t.Fatalf("exit %d, stderr %q; want %d and %q", code, stderr, exitUsage, want)
				}
				if strings.Contains(stderr, secretValue) || stdout != "" {
					t.Fatalf("the secret was echoed or something served: stderr %q stdout %q", stderr, stdout)
				}
			})
		}
	}
}

func TestSecretFileGetsTheSameValidation(t *testing.T) {
	const redisPass = "redis-Pa55word-never-shown"
	cases := []struct{ env, content, want string }{
		{"POLAR_ACCESS_TOKEN", "sk_live_notpolar\n", "POLAR_ACCESS_TOKEN does not look like a Polar token"},
		{"POLAR_MCP_TOKEN_SECRET", "Xq9zz\n", "POLAR_MCP_TOKEN_SECRET is too short: 5 bytes"},
		{"POLAR_MCP_REDIS_URL", "http://:" + redisPass + "@redis.example.com\n", "POLAR_MCP_REDIS_URL must be a redis:// or rediss:// URL"},
	}
	for _, tc := range cases {
		t.Run(tc.env, func(t *testing.T) {
			isolateSettings(t)
			t.Setenv("POLAR_MCP_TOKEN_SECRET", strings.Repeat("k", 40))
			t.Setenv("POLAR_ACCESS_TOKEN", "polar_oat_valid")
			t.Setenv(tc.env, "")
			t.Setenv(tc.env+"_FILE", writeSecret(t, "secret", tc.content))
			cfg, err := readSettings(t)
			if err != nil {
				t.Fatal(err)
			}
			err = cfg.ValidateServer()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), strings.TrimSpace(tc.content)) || strings.Contains(err.Error(), redisPass) {
				t.Fatalf("the secret was echoed: %v", err)
			}
		})
	}
}

func TestMasterKeyFileStillAPath(t *testing.T) {
	isolateSettings(t)
	t.Setenv("POLAR_MCP_MASTER_KEY_FILE", "/run/secrets/master")
	cfg, err := readSettings(t)
	if err != nil || cfg.MasterKeyFile != "/run/secrets/master" || cfg.MasterKey != "" {
		t.Fatalf("master key file %q key %q err %v", cfg.MasterKeyFile, cfg.MasterKey, err)
	}
}
