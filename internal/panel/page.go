package panel

import (
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"
)

// PanelConfig configures the agent panel page.
type PanelConfig struct {
	// FrameAncestors are the origins allowed to embed the panel in an
	// iframe, e.g. https://acme.zendesk.com or https://*.intercom.io. An
	// empty list allows only the panel's own origin. Entries that are not
	// origins are left out of the page's policy.
	FrameAncestors []string
}

// checkOrigin reports whether o may be a frame ancestor: an origin
// (scheme://host[:port], https except for localhost, "*." allowed as
// the host's first label).
func checkOrigin(o string) error {
	if o == "" || strings.ContainsAny(o, " \t\r\n;,'\"") {
		return fmt.Errorf("not an origin: no spaces, quotes, commas or semicolons")
	}
	u, err := url.Parse(o)
	if err != nil || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("not an origin: want scheme://host[:port]")
	}
	host := strings.TrimPrefix(u.Hostname(), "*.")
	if host == "" || strings.Contains(host, "*") {
		return fmt.Errorf("a wildcard may only stand for the first label, as in https://*.example.com")
	}
	local := host == "localhost" || host == "127.0.0.1" || host == "::1"
	if u.Scheme != "https" && (u.Scheme != "http" || !local) {
		return fmt.Errorf("the scheme must be https (http only for localhost)")
	}
	return nil
}

// contentSecurityPolicy is the page's CSP: same-origin scripts, styles
// and requests only, no inline script, embedding by the given origins.
func contentSecurityPolicy(ancestors []string) string {
	var ok []string
	for _, o := range ancestors {
		if checkOrigin(o) == nil {
			ok = append(ok, o)
		}
	}
	fa := "'self'"
	if len(ok) > 0 {
		fa = "'self' " + strings.Join(ok, " ")
	}
	return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors " + fa
}

// panelFile maps the last segment of a request path ("" for the page
// itself) to the embedded file and its content type.
func panelFile(name string) (file, ctype string, ok bool) {
	switch name {
	case "", "index.html":
		return "panel.html", "text/html; charset=utf-8", true
	case "card.js", "panel.js", "card-desk.js", "desk.js":
		return name, "text/javascript; charset=utf-8", true
	case "card.css", "panel.css", "card-desk.css", "desk.css":
		return name, "text/css; charset=utf-8", true
	}
	return "", "", false
}

// NewPanel serves the agent panel: the page for a path ending in "/"
// (mount it at /agent/ or /c/{id}/agent/), and its scripts and styles
// beside it (card.js, panel.js, card.css, panel.css). The page calls
// api/insights and api/events relative to itself, with the agent's
// token in the Authorization header (see NewInsightsAPI, NewEvents).
// Every answer carries the CSP (frame-ancestors from cfg), nosniff and
// no-referrer headers.
func NewPanel(cfg PanelConfig) http.Handler {
	csp := contentSecurityPolicy(cfg.FrameAncestors)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := ""
		if !strings.HasSuffix(r.URL.Path, "/") {
			name = path.Base(r.URL.Path)
		}
		file, ctype, ok := panelFile(name)
		if !ok {
			http.NotFound(w, r)
			return
		}
		h.Set("Cache-Control", "no-cache")
		if file == "panel.html" {
			h.Set("Cache-Control", "no-store")
		}
		h.Set("Content-Type", ctype)
		_, _ = w.Write([]byte(asset(file)))
	})
}
