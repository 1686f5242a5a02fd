package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// hostileTarget is one spawned polar-mcp http in front of a fake Polar
// that can redirect, with a second loopback server (another port) that
// records whether a redirected request carried credentials.
type hostileTarget struct {
	up  *upstream
	srv *httpServer

	front     *httptest.Server // what the server calls Polar: redirects, or the fake
	redirects atomic.Int64     // how many more requests get a 302 to elsewhere
	elsewhere *httptest.Server // another port: the redirect target
	strayReq  atomic.Int64     // requests elsewhere received
	strayAuth atomic.Int64     // of which with an Authorization header

	dir string
}

// startTarget spawns binary in front of a fresh demo fake, with env added
// to the server's environment.
func startTarget(ctx context.Context, binary string, env []string) (*hostileTarget, error) {
	dir, err := os.MkdirTemp("", "polar-mcp-hostile-")
	if err != nil {
		return nil, err
	}
	up, err := startUpstream(0, 0, false)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	t := &hostileTarget{up: up, dir: dir}
	t.elsewhere = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.strayReq.Add(1)
		if r.Header.Get("Authorization") != "" {
			t.strayAuth.Add(1)
		}
		http.NotFound(w, r)
	}))
	t.front = httptest.NewServer(http.HandlerFunc(t.serve))
	if t.srv, err = startHTTPServer(ctx, binary, dir, t.front.URL, env); err != nil {
		t.close()
		return nil, err
	}
	return t, nil
}

// serve answers a 302 to the other port while redirects remain, and hands
// everything else to the counting fake.
func (t *hostileTarget) serve(w http.ResponseWriter, r *http.Request) {
	if t.redirects.Add(-1) >= 0 {
		http.Redirect(w, r, t.elsewhere.URL+r.URL.RequestURI(), http.StatusFound)
		return
	}
	t.redirects.Store(0)
	t.up.serve(w, r)
}

// Stop stops the server and the fakes.
func (t *hostileTarget) Stop() {
	if t.srv != nil {
		t.srv.Stop()
	}
	t.close()
}

func (t *hostileTarget) close() {
	t.front.Close()
	t.elsewhere.Close()
	t.up.Close()
	os.RemoveAll(t.dir)
}

// token mints a six-hour customer token for email.
func (t *hostileTarget) token(email string) (string, error) {
	return identity.Mint(t.srv.secret, identity.Claims{Role: caller.Customer, Email: email, EmailVerified: true}, 6*time.Hour, time.Now())
}

// fds counts the server's open file descriptors.
func (t *hostileTarget) fds() int {
	entries, err := os.ReadDir("/proc/" + strconv.Itoa(t.srv.PID()) + "/fd")
	if err != nil {
		return -1
	}
	return len(entries)
}

// rss reads the server's resident memory (0 when unreadable).
func (t *hostileTarget) rss() int64 {
	m, _ := t.srv.Mem()
	return m.RSS
}
