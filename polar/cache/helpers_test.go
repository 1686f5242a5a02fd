package cache_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
)

// Demo customers (polar/fakepolar/fixtures/demo/README.md).
const (
	aliceEmail = "alice@example.com"
	demoAlice  = "c1000000-0001-4000-8001-000000000001"
	bobEmail   = "bob@example.com"
)

// demoAPI is the fake Polar API serving the demo organization over HTTP.
// When gated, requests are held until release.
type demoAPI struct {
	fake    *fakepolar.Server
	url     string
	arrived atomic.Int64 // requests that reached the gate
	gate    chan struct{}
	once    sync.Once
}

func startDemo(t *testing.T, gated bool) *demoAPI {
	t.Helper()
	fake, err := fakepolar.Demo(fakepolar.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := &demoAPI{fake: fake}
	if gated {
		a.gate = make(chan struct{})
		t.Cleanup(a.release)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.arrived.Add(1)
		if a.gate != nil {
			select {
			case <-a.gate:
			case <-r.Context().Done():
				return
			}
		}
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	a.url = srv.URL
	return a
}

// release lets held requests through, and every later one.
func (a *demoAPI) release() { a.once.Do(func() { close(a.gate) }) }

// cached returns a cache.Client on the real adapter for the fake.
func (a *demoAPI) cached(t *testing.T, cfg cache.Config) *cache.Client {
	t.Helper()
	sdk, err := polar.New(polar.Config{AccessToken: fakepolar.DemoToken, ServerURL: a.url})
	if err != nil {
		t.Fatal(err)
	}
	return cache.New(sdk, cfg)
}

// paths returns "METHOD path" of each request the fake received.
func (a *demoAPI) paths() []string {
	var out []string
	for _, r := range a.fake.Requests() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// eventually fails the test unless cond becomes true. It polls: what it
// waits for is an event, not a duration.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("never happened: %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// kind returns err's ErrorKind, failing the test if err is no *Error.
func kind(t *testing.T, err error) polar.ErrorKind {
	t.Helper()
	pe, ok := polar.AsError(err)
	if !ok {
		t.Fatalf("error %v is not a *polar.Error", err)
	}
	return pe.Kind
}
