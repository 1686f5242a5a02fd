//go:build e2e

package panel

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// hostCSP is the MCP Apps spec's restrictive default for a resource that
// declares no ui.csp; the app's srcdoc iframe inherits it.
const hostCSP = "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; media-src 'self' data:; connect-src 'none'; frame-src 'self'"

// hostPage is a minimal MCP Apps host: it embeds the app in a sandboxed
// iframe and speaks the host side of the protocol, answering
// ui/initialize and, after ui/notifications/initialized, sending the
// tool input and result. window.hostLog lists what the app sent.
const hostPage = `<!doctype html><html><head><meta charset="utf-8"><title>test host</title></head><body>
<script type="application/json" id="app">%s</script>
<script type="application/json" id="result">%s</script>
<script>
var app = JSON.parse(document.getElementById('app').textContent);
var result = JSON.parse(document.getElementById('result').textContent);
window.hostLog = [];
var frame = document.createElement('iframe');
frame.setAttribute('sandbox', 'allow-scripts');
frame.title = 'Visitor insights';
frame.width = '420';
frame.srcdoc = app;
window.addEventListener('message', function (ev) {
  if (ev.source !== frame.contentWindow) { return; }
  var m = ev.data, w = frame.contentWindow;
  window.hostLog.push(m.method ? m.method : 'reply');
  if (m.method === 'ui/initialize') {
    window.initParams = m.params;
    w.postMessage({ jsonrpc: '2.0', id: m.id, result: {
      protocolVersion: '2026-01-26', hostInfo: { name: 'test-host', version: '1.0.0' }, hostCapabilities: {},
      hostContext: { theme: 'light', displayMode: 'inline', locale: 'en-GB' } } }, '*');
  } else if (m.method === 'ui/notifications/initialized') {
    w.postMessage({ jsonrpc: '2.0', method: 'ui/notifications/tool-input', params: { arguments: { email: result.structuredContent.email } } }, '*');
    w.postMessage({ jsonrpc: '2.0', method: 'ui/notifications/tool-result', params: result }, '*');
  } else if (m.method === 'ui/notifications/size-changed') {
    frame.height = String(m.params.height);
  }
});
document.body.appendChild(frame);
</script></body></html>`

func carolInsights() Insights {
	return Insights{
		Email: "carol@example.com", Found: true, Name: "Carol Jones", CustomerType: "individual",
		Plan: "Pro", Status: "paused", Price: "$26.00 / month",
		PausedAt: "2026-11-10T09:30:00Z", ResumesAt: "2027-01-10T00:00:00Z",
		Subscriptions: []string{"Pro: paused, $26.00 / month"},
		RecentOrders: []Order{
			{Date: "2026-10-10T08:00:00Z", Item: "Pro", Total: "$26.00", Status: "paid"},
			{Date: "2026-08-10T08:00:00Z", Item: "Pro", Total: "$26.00", Status: "refunded"},
		},
		ActiveBenefits: []Benefit{
			{Name: "Pro license", Type: "license_keys", LicenseKey: "POLAR-****-****-7F3A"},
			{Name: "Discord", Type: "discord", Detail: "Access to the Discord server"},
		},
	}
}

func TestAppRendersToolResultInSandboxedIframe(t *testing.T) {
	ctx := browser(t)
	ins := carolInsights()
	result := map[string]any{
		"content":           []map[string]string{{"type": "text", "text": "Carol Jones <carol@example.com>: Pro, paused"}},
		"structuredContent": ins,
	}
	appJSON, _ := json.Marshal(AppHTML())
	resultJSON, _ := json.Marshal(result)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/host.html" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Security-Policy", hostCSP)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, hostPage, appJSON, resultJSON)
	}))
	defer srv.Close()

	requests := interceptRequests(t, ctx, srv.URL)
	if err := chromedp.Do(within(t, ctx), chromedp.Navigate(srv.URL+"/host.html")); err != nil {
		t.Fatal(err)
	}
	frames, err := chromedp.Run(within(t, ctx), chromedp.Nodes(chromedp.CSS("iframe")))
	if err != nil || len(frames) != 1 {
		t.Fatalf("iframe: %v (%d)", err, len(frames))
	}
	frame := frames[0]
	if err := chromedp.Do(within(t, ctx), chromedp.WaitVisible(chromedp.CSS("article.card"), chromedp.FromNode(frame))); err != nil {
		t.Fatalf("the card never showed: %v", err)
	}

	fields := map[string]string{
		"[data-field=name]":       "Carol Jones",
		"[data-field=plan]":       "Pro",
		"[data-field=status]":     "Paused",
		"[data-field=price]":      "$26.00 / month",
		"[data-field=paused_at]":  "Paused since\n10 Nov 2026",
		"[data-field=resumes_at]": "Resumes\n10 Jan 2027",
		".license-key":            "POLAR-****-****-7F3A",
	}
	for sel, want := range fields {
		if got := text(t, ctx, sel, frame); got != want {
			t.Errorf("%s: %q, want %q", sel, got, want)
		}
	}
	orders := text(t, ctx, ".card-orders", frame)
	for _, want := range []string{"10 Oct 2026", "Paid", "10 Aug 2026", "Refunded", "$26.00"} {
		if !strings.Contains(orders, want) {
			t.Errorf("orders %q lack %q", orders, want)
		}
	}
	if benefits := text(t, ctx, ".card-benefits", frame); !strings.Contains(benefits, "Discord") {
		t.Errorf("benefits %q", benefits)
	}

	log, err := chromedp.Run(within(t, ctx), chromedp.Evaluate[[]string](`window.hostLog`))
	if err != nil {
		t.Fatal(err)
	}
	if len(log) < 2 || log[0] != "ui/initialize" || log[1] != "ui/notifications/initialized" {
		t.Errorf("the app's messages: %v, want ui/initialize then ui/notifications/initialized", log)
	}
	version, err := chromedp.Run(within(t, ctx), chromedp.Evaluate[string](`window.initParams.protocolVersion + ' ' + window.initParams.appInfo.name`))
	if err != nil || version != "2026-01-26 polar-mcp-insights" {
		t.Errorf("ui/initialize params: %q %v", version, err)
	}
	if !containsString(log, "ui/notifications/size-changed") {
		t.Errorf("the app never reported its size: %v", log)
	}
	requests.check(t)
	t.Logf("screenshot: %s", screenshot(t, ctx, "mcp-app"))
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
