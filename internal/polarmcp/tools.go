package polarmcp

import (
	"log/slog"
	"net/url"

	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/buildinfo"
	"github.com/polar-mcp/polar-mcp/internal/observe"
	"github.com/polar-mcp/polar-mcp/internal/panel"
	"github.com/polar-mcp/polar-mcp/tools"
)

// NewToolsServer is the MCP server with polar-mcp's tools, observed by
// tel (its tool middleware outermost, then mw, and its session hooks;
// nil observes nothing). Each call is served by the Polar adapter bound
// to its context (tools.WithClient).
func NewToolsServer(cfg config.Config, log *slog.Logger, tel *observe.Telemetry, mw ...server.ToolHandlerMiddleware) *server.MCPServer {
	deps := tools.Deps{Logger: log, PortalHost: serverHost(cfg)}
	opts := tools.Options{ReadOnly: cfg.ReadOnly, Version: buildinfo.Read().Version, Middleware: mw, App: insightsApp()}
	if tel != nil {
		deps.Observer = tel.Observer
		opts.Hooks = tel.Observer.Hooks()
		opts.Middleware = append([]server.ToolHandlerMiddleware{tel.Observer.ToolMiddleware()}, mw...)
	}
	return tools.NewServer(deps, opts)
}

// serverHost is the configured Polar server URL's host ("" when none is
// configured or in demo mode): portal links may be on it too.
func serverHost(cfg config.Config) string {
	if cfg.Demo || cfg.ServerURL == "" {
		return ""
	}
	u, err := url.Parse(cfg.ServerURL)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// insightsApp is the MCP App get_visitor_insights links to: the panel's
// insights card.
func insightsApp() *tools.App {
	return &tools.App{URI: panel.AppURI, Name: panel.AppName, MIMEType: panel.AppMIMEType, HTML: panel.AppHTML}
}
