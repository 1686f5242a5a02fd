// Package polarmcp holds repository-level assets of polar-mcp.
package polarmcp

import "embed"

// DemoFixtures holds the demo organization's Polar objects
// (testdata/demo/*.json) that the fake Polar API serves in demo mode and in
// tests. Use fs.Sub(DemoFixtures, "testdata/demo") to root it at the files.
//
//go:embed testdata/demo
var DemoFixtures embed.FS

// OtherFixtures holds the second organization's fixtures (testdata/other,
// Kestrel Analytics Ltd), which tests serve next to the demo organization.
// Use fs.Sub(OtherFixtures, "testdata/other").
//
//go:embed testdata/other
var OtherFixtures embed.FS
