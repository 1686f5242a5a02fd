//go:build e2e

package testkit

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
)

// Browser starts headless Chromium (Chromium: POLAR_MCP_TEST_CHROMIUM, or
// chromium on PATH, `source .ci/chromium.sh`) with a fresh profile, closed
// when t ends, or skips the test. Site isolation is off so that a
// sandboxed iframe stays in the page's target, where queries and the
// request log reach it.
func Browser(t testing.TB) context.Context {
	t.Helper()
	bin := Chromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-features", "Translate,IsolateSandboxedIframes,SitePerProcess,IsolateOrigins"),
		chromedp.Flag("disable-site-isolation-trials", true),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium %s: %v", bin, err)
	}
	return ctx
}
