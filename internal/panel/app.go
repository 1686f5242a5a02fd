package panel

import (
	"embed"
	"strings"
)

// The MCP App resource get_visitor_insights links to with
// _meta.ui.resourceUri (MCP Apps extension, protocol 2026-01-26).
const (
	// AppExtension is the MCP Apps extension identifier a client
	// declares under capabilities.extensions.
	AppExtension = "io.modelcontextprotocol/ui"
	// AppURI is the insights card's resource URI.
	AppURI = "ui://polar-mcp/insights.html"
	// AppMIMEType is the resource's MIME type.
	AppMIMEType = "text/html;profile=mcp-app"
	// AppName is the resource's display name.
	AppName = "Visitor insights card"
)

//go:embed assets
var assets embed.FS

func asset(name string) string {
	b, err := assets.ReadFile("assets/" + name)
	if err != nil {
		// The names are fixed at compile time; a missing one is a build bug.
		panic("panel: missing embedded asset " + name)
	}
	return string(b)
}

// AppHTML is the MCP App's self-contained HTML document: the card's CSS
// and script inline, no external URL, so it runs under the host's
// restrictive default CSP in a sandboxed iframe. It waits for the host's
// ui/notifications/tool-result and renders its structuredContent
// (an Insights).
func AppHTML() string {
	return strings.NewReplacer(
		"{{CARD_CSS}}", asset("card.css"),
		"{{CARD_DESK_CSS}}", asset("card-desk.css"),
		"{{CARD_DESK_JS}}", asset("card-desk.js"),
		"{{CARD_JS}}", asset("card.js"),
		"{{APP_JS}}", asset("app.js"),
	).Replace(asset("app.html"))
}
