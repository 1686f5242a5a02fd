// Package buildinfo tells which build of polar-mcp is running: its version,
// commit and build date, and the User-Agent it sends to Polar.
//
// Release builds set the three values with the linker:
//
//	go build -ldflags "-X github.com/polar-mcp/polar-mcp/internal/buildinfo.version=v1.2.3 \
//	  -X github.com/polar-mcp/polar-mcp/internal/buildinfo.commit=$(git rev-parse HEAD) \
//	  -X github.com/polar-mcp/polar-mcp/internal/buildinfo.date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
//
// Any value left unset falls back to what the Go toolchain embedded in the
// binary (runtime/debug.ReadBuildInfo): the module version that `go install
// module@version` records, and the vcs.revision and vcs.time of a build from
// a git checkout.
package buildinfo

import (
	"fmt"
	"runtime/debug"
	"sync"
)

// Set by -ldflags -X at link time, and only then: the linker can set
// nothing but package-level string variables. Nothing writes them at run
// time; read them through Read.
var (
	version string
	commit  string
	date    string
)

// Placeholders for values neither the linker nor the toolchain provided.
const (
	DevVersion = "dev"
	Unknown    = "unknown"
)

// Homepage is the project's address, named in the User-Agent.
const Homepage = "https://github.com/polar-mcp/polar-mcp"

// Info describes one build.
type Info struct {
	// Version is a release version such as "v1.2.3", a Go pseudo-version,
	// or DevVersion.
	Version string
	// Commit is the git revision the binary was built from, or Unknown. It
	// ends in "-dirty" when the work tree had uncommitted changes.
	Commit string
	// Date is the build date (ldflags) or commit time (toolchain), in
	// RFC 3339, or Unknown.
	Date string
}

// Read returns the running binary's build information.
func Read() Info {
	bi, _ := toolchainInfo()
	return resolve(version, commit, date, bi)
}

// toolchainInfo is what the toolchain embedded, parsed once: a start reads
// it five times, and each parse of the module list costs about 0.1 ms.
var toolchainInfo = sync.OnceValues(debug.ReadBuildInfo)

// resolve prefers the linker's values, then the toolchain's, then the
// placeholders. bi may be nil (a binary built without module support).
func resolve(ldVersion, ldCommit, ldDate string, bi *debug.BuildInfo) Info {
	info := Info{Version: ldVersion, Commit: ldCommit, Date: ldDate}
	if bi != nil {
		if info.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			info.Version = bi.Main.Version
		}
		var revision, modified, when string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.modified":
				modified = s.Value
			case "vcs.time":
				when = s.Value
			}
		}
		if info.Commit == "" && revision != "" {
			info.Commit = revision
			if modified == "true" {
				info.Commit += "-dirty"
			}
		}
		if info.Date == "" {
			info.Date = when
		}
	}
	if info.Version == "" {
		info.Version = DevVersion
	}
	if info.Commit == "" {
		info.Commit = Unknown
	}
	if info.Date == "" {
		info.Date = Unknown
	}
	return info
}

// String is what `polar-mcp --version` prints: the version on the first
// line, then the commit and the date.
func (i Info) String() string {
	return fmt.Sprintf("polar-mcp %s\ncommit: %s\ndate:   %s", i.Version, i.Commit, i.Date)
}

// UserAgent is the User-Agent header polar-mcp sends upstream, e.g.
// "polar-mcp/v1.2.3 (+https://github.com/polar-mcp/polar-mcp)".
func (i Info) UserAgent() string {
	return "polar-mcp/" + i.Version + " (+" + Homepage + ")"
}

// UserAgent is Read().UserAgent().
func UserAgent() string {
	return Read().UserAgent()
}
