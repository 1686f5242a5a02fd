package panel

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, path string) *http.Response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Result()
}

func TestPanelHeadersAndFrameAncestors(t *testing.T) {
	h := NewPanel(PanelConfig{FrameAncestors: []string{"https://acme.zendesk.com", "https://*.intercom.io", "javascript:alert(1)", "https://x.com; script-src *"}})
	for _, p := range []string{"/agent/", "/c/42/agent/", "/agent/panel.js", "/c/42/agent/card.css"} {
		res := get(t, h, p)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", p, res.StatusCode)
		}
		csp := res.Header.Get("Content-Security-Policy")
		if !strings.HasSuffix(csp, "frame-ancestors 'self' https://acme.zendesk.com https://*.intercom.io") {
			t.Errorf("%s: frame-ancestors wrong or invalid origin let through: %q", p, csp)
		}
		for _, want := range []string{"default-src 'none'", "script-src 'self'", "connect-src 'self'", "form-action 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP lacks %q: %q", p, want, csp)
			}
		}
		if strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP allows inline code: %q", p, csp)
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", p)
		}
	}
	if csp := get(t, NewPanel(PanelConfig{}), "/agent/").Header.Get("Content-Security-Policy"); !strings.HasSuffix(csp, "frame-ancestors 'self'") {
		t.Errorf("no origins configured: %q", csp)
	}
}

func TestPanelContentTypesAndUnknownPaths(t *testing.T) {
	h := NewPanel(PanelConfig{})
	for p, want := range map[string]string{"/agent/": "text/html", "/agent/card.js": "text/javascript", "/agent/panel.css": "text/css"} {
		if got := get(t, h, p).Header.Get("Content-Type"); !strings.HasPrefix(got, want) {
			t.Errorf("%s: Content-Type %q, want %s", p, got, want)
		}
	}
	for _, p := range []string{"/agent/app.html", "/agent/../insights.go", "/agent/x.js"} {
		if res := get(t, h, p); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, res.StatusCode)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/agent/", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d", rec.Code)
	}
}

// The page loads only same-origin, relative resources and has no inline
// script or handler, so it runs under its CSP and under any prefix.
func TestPanelPageIsSelfContained(t *testing.T) {
	body, _ := io.ReadAll(get(t, NewPanel(PanelConfig{}), "/agent/").Body)
	page := string(body)
	for _, id := range []string{`id="token"`, `id="email"`, `type="submit"`, `id="insights"`, `id="refresh"`, `<label for="token"`, `<label for="email"`} {
		if !strings.Contains(page, id) {
			t.Errorf("page lacks %s", id)
		}
	}
	if regexp.MustCompile(`<script>|<style|\son[a-z]+=|style="`).MatchString(page) {
		t.Error("page has inline script, style or event handler")
	}
	for _, m := range regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if strings.Contains(m[1], ":") || strings.HasPrefix(m[1], "/") {
			t.Errorf("page loads %q: want a relative same-origin URL", m[1])
		}
	}
	if strings.Contains(page, `name="token"`) {
		t.Error("the token input has a name: a plain form submit would send it")
	}
}

func TestValidateFrameAncestors(t *testing.T) {
	good := []string{"https://acme.zendesk.com", "https://*.intercom.io", "https://chat.example.com:8443", "http://localhost:3000"}
	for _, o := range good {
		if err := checkOrigin(o); err != nil {
			t.Fatalf("valid origin %q refused: %v", o, err)
		}
	}
	bads := []string{"", "acme.zendesk.com", "http://acme.zendesk.com", "https://a.com/path", "https://a.com; script-src *", "'unsafe-inline'", "https://a.*.com", "*", "https://*"}
	for _, bad := range bads {
		if err := checkOrigin(bad); err == nil {
			t.Errorf("%q accepted", bad)
		} else if !strings.Contains(err.Error(), "origin") && !strings.Contains(err.Error(), "scheme") && !strings.Contains(err.Error(), "wildcard") {
			t.Errorf("%q: unclear message %q", bad, err)
		}
	}
	// The page's policy names the valid origins only.
	csp := contentSecurityPolicy(append(append([]string{}, good...), bads...))
	if want := "frame-ancestors 'self' " + strings.Join(good, " "); !strings.HasSuffix(csp, want) {
		t.Errorf("CSP %q: want it to end with %q", csp, want)
	}
}

// The MCP App is one document with everything inline: nothing to fetch.
func TestAppHTMLIsSelfContained(t *testing.T) {
	html := AppHTML()
	if !strings.HasPrefix(html, "<!doctype html>") || strings.Contains(html, "{{") {
		t.Fatalf("app not assembled: %.80q", html)
	}
	for _, want := range []string{"ui/initialize", "ui/notifications/initialized", "ui/notifications/tool-result", "PolarInsightsCard"} {
		if !strings.Contains(html, want) {
			t.Errorf("app lacks %q", want)
		}
	}
	if m := regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}|<link|\ssrc=|@import|url\(`).FindString(html); m != "" {
		t.Errorf("app references an external resource: %q", m)
	}
	if AppURI != "ui://polar-mcp/insights.html" || AppMIMEType != "text/html;profile=mcp-app" {
		t.Error("resource constants changed")
	}
}
