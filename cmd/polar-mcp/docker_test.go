package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// repoRoot is the module root, two levels above this package.
const repoRoot = "../.."

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	cmd  string // upper case: FROM, RUN, ...
	args string
}

// dockerStages reads the Dockerfile into its build stages. No Docker
// engine runs on the test machines, so the file is read, not built.
func dockerStages(t *testing.T) [][]instruction {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	var stages [][]instruction
	var line strings.Builder
	for _, raw := range strings.Split(string(b), "\n") {
		trimmed := strings.TrimSpace(raw)
		if line.Len() == 0 && (trimmed == "" || strings.HasPrefix(trimmed, "#")) {
			continue
		}
		if strings.HasSuffix(trimmed, "\\") {
			line.WriteString(strings.TrimSuffix(trimmed, "\\") + " ")
			continue
		}
		line.WriteString(trimmed)
		cmd, args, _ := strings.Cut(line.String(), " ")
		line.Reset()
		in := instruction{strings.ToUpper(cmd), strings.TrimSpace(args)}
		if in.cmd == "FROM" || len(stages) == 0 {
			stages = append(stages, nil)
		}
		stages[len(stages)-1] = append(stages[len(stages)-1], in)
	}
	if len(stages) < 2 {
		t.Fatalf("Dockerfile has %d stages, want a build stage and a final stage", len(stages))
	}
	return stages
}

// find returns the args of every instruction named cmd in a stage.
func find(stage []instruction, cmd string) []string {
	var out []string
	for _, in := range stage {
		if in.cmd == cmd {
			out = append(out, in.args)
		}
	}
	return out
}

// dockerBuildCommand is the build stage's `go build` RUN line.
func dockerBuildCommand(t *testing.T) string {
	t.Helper()
	stages := dockerStages(t)
	for _, stage := range stages[:len(stages)-1] {
		for _, run := range find(stage, "RUN") {
			if strings.Contains(run, "go build") {
				return run
			}
		}
	}
	t.Fatal("no RUN ... go build in the Dockerfile's build stages")
	return ""
}

// TestDockerfileFinalStage checks what the image promises: distroless
// static as non-root, polar-mcp as the entrypoint with stdio by default,
// and the OCI and MCP registry labels.
func TestDockerfileFinalStage(t *testing.T) {
	stages := dockerStages(t)
	final := stages[len(stages)-1]
	if from := final[0].args; !strings.HasPrefix(from, "gcr.io/distroless/static") || !strings.HasSuffix(from, ":nonroot") {
		t.Errorf("final stage FROM %q, want gcr.io/distroless/static...:nonroot", from)
	}
	users := find(final, "USER")
	if len(users) == 0 {
		t.Error("final stage sets no USER: the container would run as root")
	}
	for _, u := range users {
		if name, _, _ := strings.Cut(u, ":"); name == "root" || name == "0" {
			t.Errorf("USER %s is root", u)
		}
	}
	exact := map[string][]string{"ENTRYPOINT": {"polar-mcp"}, "CMD": {"stdio"}}
	for cmd, want := range exact {
		args := find(final, cmd)
		var got []string
		if len(args) != 1 || json.Unmarshal([]byte(args[0]), &got) != nil || strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s %v, want exactly one, in exec form %q", cmd, args, want)
		}
	}
	if copies := strings.Join(find(final, "COPY"), "\n"); !strings.Contains(copies, "/usr/local/bin/polar-mcp") {
		t.Errorf("the binary is not copied onto the PATH (/usr/local/bin/polar-mcp): %s", copies)
	}

	labels := map[string]string{}
	pair := regexp.MustCompile(`([A-Za-z0-9._-]+)="([^"]*)"`)
	for _, l := range find(final, "LABEL") {
		for _, m := range pair.FindAllStringSubmatch(l, -1) {
			labels[m[1]] = m[2]
		}
	}
	for _, k := range []string{"title", "description", "source", "licenses", "version", "revision", "created"} {
		if labels["org.opencontainers.image."+k] == "" {
			t.Errorf("label org.opencontainers.image.%s missing", k)
		}
	}
	if got := labels["org.opencontainers.image.licenses"]; got != "Apache-2.0" {
		t.Errorf("licenses label %q, want Apache-2.0 (LICENSE)", got)
	}
	if got, want := labels["io.modelcontextprotocol.server.name"], registryServer(t).Name; got != want {
		t.Errorf("label io.modelcontextprotocol.server.name = %q, want server.json's name %q", got, want)
	}
}
