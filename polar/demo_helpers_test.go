package polar_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/polar"
)

// newClock is a fake clock at the demo's "today", moving only when told.
func newClock() *testkit.Clock {
	return testkit.NewClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
}

// demoAPI is the fake Polar API serving the demo fixtures over HTTP.
type demoAPI struct {
	fake *fakepolar.Server
	url  string
}

func startDemo(t *testing.T) *demoAPI {
	t.Helper()
	fake, err := fakepolar.New(fakepolar.DemoFS(), fakepolar.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return &demoAPI{fake: fake, url: srv.URL}
}

// adapter returns the real adapter for the fake; mods adjust its Config.
func (a *demoAPI) adapter(t *testing.T, mods ...func(*polar.Config)) *polar.SDKClient {
	t.Helper()
	cfg := polar.Config{AccessToken: fakepolar.DemoToken, ServerURL: a.url}
	for _, m := range mods {
		m(&cfg)
	}
	c, err := polar.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
