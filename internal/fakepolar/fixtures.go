package fakepolar

import (
	"embed"
	"io/fs"
)

// fixtures holds the two organizations' Polar objects: fixtures/demo
// (Northwind Cloud, served by --demo and most tests; its README lists the
// cases) and fixtures/other (Kestrel Analytics Ltd, served next to it).
//
//go:embed fixtures
var fixtures embed.FS

// The organizations of the embedded fixtures (Fixtures).
const (
	OrgDemo  = "demo"  // Northwind Cloud: served by --demo and most tests; its README lists the cases
	OrgOther = "other" // Kestrel Analytics Ltd: served next to it by tests of many merchants
)

// DemoFS returns the demo organization's fixture directory (Northwind
// Cloud, fixtures/demo), rooted at its JSON files: what Demo serves.
func DemoFS() fs.FS { return Fixtures(OrgDemo) }

// Fixtures returns the fixture directory of the embedded organization org
// (OrgDemo or OrgOther), rooted at its JSON files.
func Fixtures(org string) fs.FS { return subFS("fixtures/" + org) }

// subFS roots the embedded fixtures at dir. The directories are fixed at
// compile time by the embed directive, so fs.Sub cannot fail here.
func subFS(dir string) fs.FS {
	sub, err := fs.Sub(fixtures, dir)
	if err != nil {
		panic("fakepolar: embedded fixtures: " + err.Error())
	}
	return sub
}
