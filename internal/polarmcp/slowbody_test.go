package polarmcp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/config"
)

// everyRoute is one request of every route polar-mcp http serves on its
// public listener: MCP (both transports), webhooks (the single merchant's
// and an unknown connection's), the admin API's path, the agent panel's
// page and API, health, readiness, metadata and a path nobody serves.
var everyRoute = []string{
	"POST /mcp", "POST /message?sessionId=x", "GET /sse",
	"POST /webhooks/polar", "POST /c/conn_unknown/webhooks/polar", "POST /admin/connections",
	"GET /agent/", "POST /agent/api/insights", "POST /agent/api/events", "GET /agent/api/events",
	"GET /healthz", "GET /readyz", "GET /.well-known/oauth-protected-resource", "POST /nowhere",
}

// trickle opens a connection to addr, sends the head of route announcing
// a 200,000-byte body (with token as bearer unless "") and then one byte
// every 100 ms. It returns after the server answered and closed the
// connection, with how long that took, or fails the test when it did not
// within limit.
func trickle(t *testing.T, addr, route, token string, limit time.Duration) (int, time.Duration) {
	start := time.Now()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Errorf("%s: %v", route, err)
		return 0, 0
	}
	defer c.Close()
	_ = c.SetDeadline(start.Add(limit))
	head := route + " HTTP/1.1\r\nHost: " + addr + "\r\nContent-Type: application/json\r\n" +
		"Accept: application/json, text/event-stream\r\nContent-Length: 200000\r\n"
	if token != "" {
		head += "Authorization: Bearer " + token + "\r\n"
	}
	if _, err := io.WriteString(c, head+"\r\n{"); err != nil {
		t.Errorf("%s: %v", route, err)
		return 0, 0
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if _, err := c.Write([]byte{' '}); err != nil {
					return
				}
			}
		}
	}()
	r := bufio.NewReader(c)
	res, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Errorf("%s: no answer within %s: %v", route, limit, err)
		return 0, 0
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	// Closed: an EOF, or a reset when the server closed with the
	// trickled bytes unread.
	if _, err := r.ReadByte(); !errors.Is(err, io.EOF) && !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("%s: answered %d but the connection was not closed: %v", route, res.StatusCode, err)
	}
	return res.StatusCode, time.Since(start)
}

// floodSlowBodies sends 40 trickled bodies (the server's connection cap)
// spread over every route at once, checks that each is answered and
// disconnected within limit, and that /healthz answers meanwhile.
func floodSlowBodies(t *testing.T, addr, token string, limit time.Duration) map[string]int {
	var mu sync.Mutex
	statuses := map[string]int{}
	var wg sync.WaitGroup
	for i := range 40 {
		route := everyRoute[i%len(everyRoute)]
		wg.Go(func() {
			code, _ := trickle(t, addr, route, token, limit)
			mu.Lock()
			statuses[fmt.Sprintf("%s %d", route, code)]++
			mu.Unlock()
		})
	}
	time.Sleep(200 * time.Millisecond) // all 40 are in
	healthStart := time.Now()
	client := &http.Client{Timeout: limit + 2*time.Second}
	res, err := client.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatalf("/healthz during the flood: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("/healthz during the flood: %d", res.StatusCode)
	}
	t.Logf("/healthz answered in %s during the flood", time.Since(healthStart).Round(time.Millisecond))
	wg.Wait()
	return statuses
}

func slowBodyConfig(timeout time.Duration) config.Config {
	return config.Config{Demo: true, MaxConnections: 40, BodyReadTimeout: timeout,
		WebhookSecret: "whsec_slow_body_test_secret_0123456789"}
}

// Without a credential, every route refuses a trickled body before
// reading it: with a body deadline of a minute, the 40 connections are
// all answered and closed within 3 s, and /healthz stays up.
func TestSlowBodiesWithoutCredentialAreRefusedOnEveryRoute(t *testing.T) {
	base := serve(t, slowBodyConfig(time.Minute))
	statuses := floodSlowBodies(t, strings.TrimPrefix(base, "http://"), "", 3*time.Second)
	for k := range statuses {
		if strings.HasSuffix(k, " 200") || strings.HasSuffix(k, " 202") {
			t.Errorf("a trickled request without a credential was served: %s", k)
		}
	}
	t.Log(statuses)
}

// With a valid token, a trickled body is cut at the body deadline on
// every route, and the connection closed.
func TestSlowBodiesWithATokenTimeOutOnEveryRoute(t *testing.T) {
	base := serve(t, slowBodyConfig(time.Second))
	statuses := floodSlowBodies(t, strings.TrimPrefix(base, "http://"), agentToken(t), 4*time.Second)
	t.Log(statuses)
}
