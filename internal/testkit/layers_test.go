package testkit

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// mayImport is the "may import" column of docs/DEVELOPING.md's layout:
// for every package of the module, the packages of the module its
// non-test files may import. A package missing here, or an import not
// listed, fails TestLayers: change the table and DEVELOPING.md together.
var mayImport = map[string][]string{
	"config":                       nil,
	"internal/buildinfo":           nil,
	"internal/textsafe":            nil,
	"internal/fakepolar":           nil,
	"internal/webhooks":            nil,
	"internal/tenants/keyring":     nil,
	"internal/identity/caller":     {"config"},
	"internal/identity":            {"config", "internal/identity/caller"},
	"polar":                        {"config", "internal/identity/caller", "internal/textsafe"},
	"polar/cache":                  {"config", "internal/identity/caller", "polar"},
	"tools":                        {"config", "internal/identity/caller", "internal/textsafe", "polar"},
	"tools/internal/schemagen":     {"tools"},
	"internal/hosted":              {"config", "internal/identity", "internal/identity/caller"},
	"internal/stdio":               {"internal/hosted"},
	"internal/tenants/connections": {"config", "internal/tenants/keyring"},
	"internal/tenants":             {"config", "internal/tenants/connections", "polar", "polar/cache"},
	"internal/tenants/admin":       {"config", "internal/hosted", "internal/tenants", "internal/tenants/connections"},
	"internal/fleet": {"config", "internal/buildinfo", "internal/identity/caller", "internal/tenants",
		"internal/tenants/connections", "internal/webhooks", "polar", "polar/cache"},
	"internal/observe": {"config", "internal/buildinfo", "internal/identity/caller", "polar", "polar/cache"},
	"internal/panel":   {"config", "internal/hosted", "internal/identity/caller", "tools"},
	"internal/demo":    {"config", "internal/identity", "internal/identity/caller"},
	"internal/testkit": {"internal/fakepolar", "polar", "polar/cache"},
	"internal/polarmcp": {"config", "internal/buildinfo", "internal/fakepolar", "internal/fleet", "internal/hosted",
		"internal/identity", "internal/identity/caller", "internal/observe", "internal/panel", "internal/stdio",
		"internal/tenants", "internal/tenants/admin", "internal/tenants/connections", "internal/webhooks", "tools"},
	"cmd/polar-mcp": {"config", "internal/buildinfo", "internal/demo", "internal/fakepolar", "internal/identity", "internal/identity/caller",
		"internal/polarmcp", "internal/tenants", "internal/tenants/connections", "internal/tenants/keyring", "tools"},
	"cmd/polar-mcp-bench": {"internal/fakepolar", "internal/identity", "internal/identity/caller", "tools"},
}

// TestLayers checks every package's imports of this module against
// mayImport: the layers of docs/DEVELOPING.md, enforced.
func TestLayers(t *testing.T) {
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "./...")
	cmd.Dir = filepath.Join("..", "..")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list ./...: %v", err)
	}
	const module = "github.com/polar-mcp/polar-mcp/"
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], module)
		allowed, ok := mayImport[pkg]
		if !ok {
			t.Errorf("package %s is not in docs/DEVELOPING.md's layout (mayImport)", pkg)
			continue
		}
		seen++
		for _, imp := range fields[1:] {
			if dep, ours := strings.CutPrefix(imp, module); ours && !slices.Contains(allowed, dep) {
				t.Errorf("%s imports %s, which its layer may not (docs/DEVELOPING.md)", pkg, dep)
			}
		}
	}
	if seen != len(mayImport) {
		t.Errorf("go list saw %d of the %d packages of the layout: remove the ones that went", seen, len(mayImport))
	}
}
