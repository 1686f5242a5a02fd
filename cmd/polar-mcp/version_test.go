package main

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/buildinfo"
)

// TestVersionFlag checks `polar-mcp --version` prints the build's version,
// commit and date, and exits 0 without serving anything.
func TestVersionFlag(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"--version"}, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
	info := buildinfo.Read()
	want := "polar-mcp " + info.Version + "\ncommit: " + info.Commit + "\ndate:   " + info.Date + "\n"
	if out.String() != want {
		t.Errorf("--version printed %q, want %q", out.String(), want)
	}
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
