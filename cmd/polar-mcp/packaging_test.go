package main

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/polar-mcp/polar-mcp/config"
)

// readRoot reads a file at the module root.
func readRoot(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// registryEnv is one environment variable a registry package declares.
type registryEnv struct {
	Name       string   `json:"name"`
	IsRequired bool     `json:"isRequired"`
	IsSecret   bool     `json:"isSecret"`
	Choices    []string `json:"choices"`
}

// registryFile is the part of server.json (MCP registry schema 2025-12-11)
// the tests check.
type registryFile struct {
	Schema      string `json:"$schema"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Version     string `json:"version"`
	Repository  struct {
		URL    string `json:"url"`
		Source string `json:"source"`
	} `json:"repository"`
	Packages []struct {
		RegistryType string `json:"registryType"`
		Identifier   string `json:"identifier"`
		Transport    struct {
			Type string `json:"type"`
		} `json:"transport"`
		EnvironmentVariables []registryEnv `json:"environmentVariables"`
	} `json:"packages"`
}

func registryServer(t *testing.T) registryFile {
	t.Helper()
	var s registryFile
	if err := json.Unmarshal(readRoot(t, "server.json"), &s); err != nil {
		t.Fatalf("server.json: %v", err)
	}
	return s
}

// TestRegistryServerJSON checks server.json against the registry's rules
// for a publishable entry: the name pattern and GitHub namespace, the
// description limit, an OCI image tagged with the entry's version, stdio,
// and the variables a user must be asked for, with the token secret.
func TestRegistryServerJSON(t *testing.T) {
	s := registryServer(t)
	if !strings.HasPrefix(s.Schema, "https://static.modelcontextprotocol.io/schemas/") {
		t.Errorf("$schema %q is not a published registry schema", s.Schema)
	}
	if !regexp.MustCompile(`^io\.github\.polar-mcp/[a-zA-Z0-9._-]+$`).MatchString(s.Name) {
		t.Errorf("name %q: want io.github.polar-mcp/NAME (the registry checks the GitHub namespace)", s.Name)
	}
	if n := len(s.Description); n == 0 || n > 100 {
		t.Errorf("description is %d characters, want 1 to 100", n)
	}
	if s.Version == "" || s.Version == "latest" || strings.ContainsAny(s.Version, "^~><*x ") {
		t.Errorf("version %q is not one specific version", s.Version)
	}
	if s.Repository.URL != "https://github.com/polar-mcp/polar-mcp" || s.Repository.Source != "github" {
		t.Errorf("repository = %+v", s.Repository)
	}
	if len(s.Packages) == 0 {
		t.Fatal("no packages")
	}
	p := s.Packages[0]
	if p.RegistryType != "oci" || p.Transport.Type != "stdio" {
		t.Errorf("package %s over %s, want oci over stdio", p.RegistryType, p.Transport.Type)
	}
	if !strings.HasSuffix(p.Identifier, ":"+s.Version) {
		t.Errorf("image %q is not tagged with version %q", p.Identifier, s.Version)
	}
	env := map[string]registryEnv{}
	for _, e := range p.EnvironmentVariables {
		env[e.Name] = e
	}
	for _, name := range []string{"POLAR_ACCESS_TOKEN", "POLAR_ENVIRONMENT", "POLAR_MCP_ROLE", "POLAR_MCP_CUSTOMER_EMAIL"} {
		e, ok := env[name]
		if !ok {
			t.Errorf("%s not declared", name)
		}
		if secret := name == "POLAR_ACCESS_TOKEN"; e.IsSecret != secret {
			t.Errorf("%s isSecret = %v, want %v", name, e.IsSecret, secret)
		}
	}
	if !env["POLAR_ACCESS_TOKEN"].IsRequired {
		t.Error("POLAR_ACCESS_TOKEN is not required")
	}
	// Every declared variable is one the server reads.
	known := map[string]bool{}
	for _, st := range config.Settings() {
		known[st.Env] = true
	}
	for name := range env {
		if !known[name] {
			t.Errorf("%s is declared but polar-mcp reads no such variable", name)
		}
	}
	if got := env["POLAR_ENVIRONMENT"].Choices; !slices.Equal(got, []string{"production", "sandbox"}) {
		t.Errorf("POLAR_ENVIRONMENT choices %v", got)
	}
}

// composeFile is the part of compose.yaml the tests check.
type composeFile struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Build       any               `yaml:"build"`
		Command     []string          `yaml:"command"`
		Environment map[string]string `yaml:"environment"`
		Secrets     []string          `yaml:"secrets"`
		Ports       []string          `yaml:"ports"`
		DependsOn   map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
		Healthcheck struct {
			Test []string `yaml:"test"`
		} `yaml:"healthcheck"`
	} `yaml:"services"`
	Secrets map[string]struct {
		File string `yaml:"file"`
	} `yaml:"secrets"`
}

// TestComposeStack checks compose.yaml: polar-mcp serves HTTP on all
// interfaces inside its container, reaches PostgreSQL and Redis by service
// name once both are healthy, and takes every secret from a file.
func TestComposeStack(t *testing.T) {
	var c composeFile
	if err := yaml.Unmarshal(readRoot(t, "compose.yaml"), &c); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	app, ok := c.Services["polar-mcp"]
	if !ok {
		t.Fatal("no polar-mcp service")
	}
	if app.Build == nil || !slices.Equal(app.Command, []string{"http"}) {
		t.Errorf("polar-mcp: build %v, command %v; want the Dockerfile's image running http", app.Build, app.Command)
	}
	if got := app.Environment["POLAR_MCP_LISTEN"]; got != "0.0.0.0:8080" {
		t.Errorf("POLAR_MCP_LISTEN = %q, want 0.0.0.0:8080 (the default, loopback, is unreachable from outside the container)", got)
	}
	if got := app.Environment["POLAR_MCP_DATABASE_URL"]; !strings.HasPrefix(got, "postgres://") || !strings.Contains(got, "@postgres:") {
		t.Errorf("POLAR_MCP_DATABASE_URL = %q, want the postgres service", got)
	}
	if got := app.Environment["POLAR_MCP_REDIS_URL"]; !strings.HasPrefix(got, "redis://redis:") {
		t.Errorf("POLAR_MCP_REDIS_URL = %q, want the redis service", got)
	}
	for _, dep := range []string{"postgres", "redis"} {
		s, ok := c.Services[dep]
		if !ok {
			t.Errorf("no %s service", dep)
			continue
		}
		if len(s.Healthcheck.Test) < 2 || s.Healthcheck.Test[0] != "CMD" {
			t.Errorf("%s healthcheck %v, want an exec-form CMD check", dep, s.Healthcheck.Test)
		}
		if app.DependsOn[dep].Condition != "service_healthy" {
			t.Errorf("polar-mcp does not wait for %s to be healthy", dep)
		}
	}
	for _, p := range app.Ports {
		if !strings.HasPrefix(p, "127.0.0.1:") {
			t.Errorf("port %q is published beyond loopback", p)
		}
	}

	// Secrets: files, mounted under /run/secrets, never values in the file.
	for name, s := range c.Secrets {
		if !strings.HasPrefix(s.File, "./secrets/") {
			t.Errorf("secret %s is not a file under ./secrets/: %q", name, s.File)
		}
	}
	secretish := regexp.MustCompile(`(?i)(SECRET|KEY|TOKEN|PASSWORD|PASS)`)
	for svc, s := range c.Services {
		for _, name := range s.Secrets {
			if _, ok := c.Secrets[name]; !ok {
				t.Errorf("%s uses undeclared secret %s", svc, name)
			}
		}
		for k, v := range s.Environment {
			if u, err := url.Parse(v); err == nil && u.User != nil {
				if _, has := u.User.Password(); has {
					t.Errorf("%s: %s carries a password in its URL", svc, k)
				}
			}
			if secretish.MatchString(k) && !strings.HasSuffix(k, "_FILE") && k != "PGPASSFILE" {
				t.Errorf("%s: %s is set inline; pass it as a secret file (%s_FILE)", svc, k, k)
			}
			if strings.HasSuffix(k, "FILE") && !strings.HasPrefix(v, "/run/secrets/") {
				t.Errorf("%s: %s = %q, want a file under /run/secrets/", svc, k, v)
			}
		}
	}
}
