package buildinfo

import (
	"runtime/debug"
	"strings"
	"testing"
)

func settings(kv ...string) []debug.BuildSetting {
	var out []debug.BuildSetting
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
	}
	return out
}

// TestVersionFallback checks the order of precedence: linker values, then
// what the toolchain embedded, then placeholders.
func TestVersionFallback(t *testing.T) {
	installed := &debug.BuildInfo{
		Main:     debug.Module{Path: "github.com/polar-mcp/polar-mcp", Version: "v0.4.1"},
		Settings: settings("vcs.revision", "0123abcd", "vcs.time", "2026-03-01T10:00:00Z", "vcs.modified", "false"),
	}
	checkout := &debug.BuildInfo{
		Main:     debug.Module{Path: "github.com/polar-mcp/polar-mcp", Version: "(devel)"},
		Settings: settings("vcs.revision", "feedface", "vcs.time", "2026-02-02T02:02:02Z", "vcs.modified", "true"),
	}
	tests := []struct {
		name                    string
		ldVersion, ldCommit, ld string
		bi                      *debug.BuildInfo
		want                    Info
	}{
		{"linker wins", "v1.2.3", "c0ffee", "2026-04-01T00:00:00Z", installed,
			Info{"v1.2.3", "c0ffee", "2026-04-01T00:00:00Z"}},
		{"go install module@version", "", "", "", installed,
			Info{"v0.4.1", "0123abcd", "2026-03-01T10:00:00Z"}},
		{"dirty checkout", "", "", "", checkout,
			Info{DevVersion, "feedface-dirty", "2026-02-02T02:02:02Z"}},
		{"partial linker values", "v2.0.0", "", "", checkout,
			Info{"v2.0.0", "feedface-dirty", "2026-02-02T02:02:02Z"}},
		{"no vcs stamp", "", "", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}},
			Info{DevVersion, Unknown, Unknown}},
		{"no build info", "", "", "", nil, Info{DevVersion, Unknown, Unknown}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := resolve(tc.ldVersion, tc.ldCommit, tc.ld, tc.bi); got != tc.want {
				t.Errorf("resolve = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestVersionStringAndUserAgent(t *testing.T) {
	i := Info{Version: "v1.2.3", Commit: "c0ffee", Date: "2026-04-01T00:00:00Z"}
	lines := strings.Split(i.String(), "\n")
	if len(lines) != 3 || lines[0] != "polar-mcp v1.2.3" ||
		!strings.HasSuffix(lines[1], "c0ffee") || !strings.HasSuffix(lines[2], "2026-04-01T00:00:00Z") {
		t.Errorf("String() = %q", i.String())
	}
	if got, want := i.UserAgent(), "polar-mcp/v1.2.3 (+https://github.com/polar-mcp/polar-mcp)"; got != want {
		t.Errorf("UserAgent() = %q, want %q", got, want)
	}
	if got := UserAgent(); !strings.HasPrefix(got, "polar-mcp/"+Read().Version+" (+") {
		t.Errorf("UserAgent() = %q, want the running build's version", got)
	}
}
