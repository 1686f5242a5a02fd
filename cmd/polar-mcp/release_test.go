package main

import (
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// goreleaserFile is the part of .goreleaser.yaml the test checks.
type goreleaserFile struct {
	Version int `yaml:"version"`
	Builds  []struct {
		Main    string   `yaml:"main"`
		Env     []string `yaml:"env"`
		Flags   []string `yaml:"flags"`
		Ldflags []string `yaml:"ldflags"`
		Goos    []string `yaml:"goos"`
		Goarch  []string `yaml:"goarch"`
	} `yaml:"builds"`
	Archives []struct {
		Formats         []string `yaml:"formats"`
		FormatOverrides []struct {
			Goos    string   `yaml:"goos"`
			Formats []string `yaml:"formats"`
		} `yaml:"format_overrides"`
		Files []string `yaml:"files"`
	} `yaml:"archives"`
	Checksum struct {
		NameTemplate string `yaml:"name_template"`
		Algorithm    string `yaml:"algorithm"`
	} `yaml:"checksum"`
}

// TestReleaseConfig checks .goreleaser.yaml builds what the README
// promises: static binaries for linux, darwin and windows on amd64 and
// arm64, stamped through package buildinfo like the Dockerfile's, in
// archives (zip on windows) that carry the LICENSE, with checksums.
func TestReleaseConfig(t *testing.T) {
	var g goreleaserFile
	if err := yaml.Unmarshal(readRoot(t, ".goreleaser.yaml"), &g); err != nil {
		t.Fatalf(".goreleaser.yaml: %v", err)
	}
	if g.Version != 2 {
		t.Errorf("version: %d, want 2 (goreleaser v2)", g.Version)
	}
	if len(g.Builds) != 1 {
		t.Fatalf("%d builds, want 1", len(g.Builds))
	}
	b := g.Builds[0]
	if b.Main != "./cmd/polar-mcp" || !slices.Contains(b.Env, "CGO_ENABLED=0") || !slices.Contains(b.Flags, "-trimpath") {
		t.Errorf("build main %q env %v flags %v", b.Main, b.Env, b.Flags)
	}
	for _, goos := range []string{"linux", "darwin", "windows"} {
		if !slices.Contains(b.Goos, goos) {
			t.Errorf("goos lacks %s", goos)
		}
	}
	for _, arch := range []string{"amd64", "arm64"} {
		if !slices.Contains(b.Goarch, arch) {
			t.Errorf("goarch lacks %s", arch)
		}
	}
	ld := strings.Join(b.Ldflags, " ")
	docker := dockerBuildCommand(t)
	for _, v := range []string{"version", "commit", "date"} {
		x := "-X github.com/polar-mcp/polar-mcp/internal/buildinfo." + v + "="
		if !strings.Contains(ld, x) {
			t.Errorf("ldflags lack %s", x)
		}
		if !strings.Contains(docker, x) {
			t.Errorf("the Dockerfile's build lacks %s", x)
		}
	}
	if len(g.Archives) == 0 {
		t.Fatal("no archives")
	}
	a := g.Archives[0]
	zip := false
	for _, o := range a.FormatOverrides {
		zip = zip || (o.Goos == "windows" && slices.Equal(o.Formats, []string{"zip"}))
	}
	if !slices.Equal(a.Formats, []string{"tar.gz"}) || !zip || !slices.Contains(a.Files, "LICENSE") {
		t.Errorf("archives %v, windows zip %v, files %v", a.Formats, zip, a.Files)
	}
	if g.Checksum.NameTemplate == "" || g.Checksum.Algorithm != "sha256" {
		t.Errorf("checksum %+v, want sha256 checksums", g.Checksum)
	}
}
