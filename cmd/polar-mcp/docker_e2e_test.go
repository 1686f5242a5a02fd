//go:build e2e

package main

import (
	"debug/elf"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
)

// dockerOutput is where the build stage writes the binary; the final stage
// copies it from there.
const dockerOutput = "-o /out/polar-mcp "

// TestStaticBinaryFromDockerfile runs the Dockerfile's build command as
// written (the shell expands its build args, as in `docker build`), then
// checks the binary is statically linked, reports the build args as its
// version, and serves MCP over stdio.
func TestStaticBinaryFromDockerfile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and spawns the binary")
	}
	if runtime.GOOS != "linux" {
		t.Skip("the image's binary is linux: run it on linux")
	}
	run := dockerBuildCommand(t)
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "buildinfo.version=$VERSION",
		"buildinfo.commit=$COMMIT", "buildinfo.date=$DATE", dockerOutput} {
		if !strings.Contains(run, want) {
			t.Errorf("build RUN line lacks %q:\n%s", want, run)
		}
	}
	out := t.TempDir()
	bin := filepath.Join(out, "polar-mcp")
	build := exec.Command("sh", "-c", strings.Replace(run, dockerOutput, "-o "+bin+" ", 1))
	build.Dir = repoRoot
	const ver, commit, date = "v9.8.7-test", "0123456789abcdef0123456789abcdef01234567", "2026-05-04T03:02:01Z"
	build.Env = append(cleanEnv(), "TARGETOS=linux", "TARGETARCH="+runtime.GOARCH,
		"VERSION="+ver, "COMMIT="+commit, "DATE="+date)
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", run, err, b)
	}

	assertStatic(t, bin)

	got, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatalf("--version: %v", err)
	}
	want := "polar-mcp " + ver + "\ncommit: " + commit + "\ndate:   " + date + "\n"
	if string(got) != want {
		t.Errorf("--version printed %q, want %q", got, want)
	}

	c, res, ctx := stdioClient(t, bin, append(cleanEnv(), "POLAR_MCP_ROLE=agent"), "stdio", "--demo")
	if res.ServerInfo.Version != ver {
		t.Errorf("serverInfo.version = %q, want the build arg %q", res.ServerInfo.Version, ver)
	}
	list, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil || len(list.Tools) == 0 {
		t.Errorf("tools/list: %v, %d tools", err, len(list.Tools))
	}
}

// assertStatic fails unless bin is an ELF executable with no interpreter
// and no dynamic section: it runs on distroless/static or scratch.
func assertStatic(t *testing.T, bin string) {
	t.Helper()
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("binary has a %v program header: it is dynamically linked", p.Type)
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("binary needs shared libraries %v", libs)
	}
}
