//go:build e2e

package panel

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/polar-mcp/polar-mcp/internal/testkit"
)

// browser is a fresh headless Chromium tab (testkit.Browser), or skips.
func browser(t *testing.T) context.Context { return testkit.Browser(t) }

// within bounds one step of a test, so that a broken page fails the test
// instead of hanging it.
func within(t *testing.T, ctx context.Context) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// requestLog intercepts every request of the tab: it lets through those
// to origin and fails (and records) every other. It also records each
// load the page's Content-Security-Policy refused, which never reaches
// the network.
type requestLog struct {
	mu      sync.Mutex
	seen    []string
	blocked []string
}

func interceptRequests(t *testing.T, ctx context.Context, origin string) *requestLog {
	t.Helper()
	l := &requestLog{}
	paused := chromedp.Events(ctx, fetch.RequestPaused)
	logged := chromedp.Events(ctx, cdplog.EntryAdded)
	go func() {
		for ev, err := range logged {
			if err != nil {
				return
			}
			if strings.Contains(ev.Entry.Text, "Content Security Policy") {
				l.mu.Lock()
				l.blocked = append(l.blocked, "(refused by CSP) "+ev.Entry.Text)
				l.mu.Unlock()
			}
		}
	}()
	target := chromedp.FromContext(ctx).Target
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			u := ev.Request.URL
			l.mu.Lock()
			l.seen = append(l.seen, u)
			ok := u == origin || strings.HasPrefix(u, origin+"/")
			if !ok {
				l.blocked = append(l.blocked, u)
			}
			l.mu.Unlock()
			if ok {
				_, _ = cdp.Call(ctx, target, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
			} else {
				_, _ = cdp.Call(ctx, target, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
			}
		}
	}()
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, fetch.Enable, fetch.EnableParams{})
		return err
	})); err != nil {
		t.Fatalf("intercept requests: %v", err)
	}
	return l
}

// check fails the test for any request that left origin.
func (l *requestLog) check(t *testing.T) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.seen) == 0 {
		t.Error("no request seen: the interception is not working")
	}
	for _, u := range l.blocked {
		t.Errorf("the page requested %s, outside its origin", u)
	}
}

// screenshot saves the page as name.png in a temporary dir, or in
// POLAR_MCP_SCREENSHOTS when set (to look at them, or to refresh
// docs/agent-panel.png), and returns its path.
func screenshot(t *testing.T, ctx context.Context, name string) string {
	t.Helper()
	dir := os.Getenv("POLAR_MCP_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	buf, err := chromedp.Run(within(t, ctx), chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// text is the text of the first element sel matches (inside frame if
// not nil), once it is visible.
func text(t *testing.T, ctx context.Context, sel string, frame *chromedp.Node) string {
	t.Helper()
	opts := []chromedp.QueryOption{chromedp.NodeVisible}
	if frame != nil {
		opts = append(opts, chromedp.FromNode(frame))
	}
	s, err := chromedp.Run(within(t, ctx), chromedp.Text(chromedp.CSS(sel), opts...))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}
