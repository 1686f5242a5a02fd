package hosted

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/identity"
)

// rawConn is a TCP connection to the test server written by hand.
type rawConn struct {
	net.Conn
	r *bufio.Reader
}

// dialRaw connects to ts and sends the head of a POST to path that
// announces a body of length bytes and sends only its first byte.
func dialRaw(t *testing.T, ts *testServer, path, tok string, length int) *rawConn {
	t.Helper()
	c, err := net.Dial("tcp", ts.ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	// A hang guard, not a timing assertion: the test fails instead of
	// hanging when the server holds the connection.
	_ = c.SetDeadline(time.Now().Add(20 * time.Second))
	head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: %d\r\n",
		path, ts.ts.Listener.Addr(), length)
	if tok != "" {
		head += "Authorization: Bearer " + tok + "\r\n"
	}
	if _, err := io.WriteString(c, head+"\r\n{"); err != nil {
		t.Fatal(err)
	}
	return &rawConn{Conn: c, r: bufio.NewReader(c)}
}

// refusal reads the response and then expects the server to close the
// connection.
func (c *rawConn) refusal(t *testing.T) *http.Response {
	t.Helper()
	resp, err := http.ReadResponse(c.r, nil)
	if err != nil {
		t.Fatalf("no response to a slow body: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !resp.Close { // ReadResponse turns "Connection: close" into Close
		t.Errorf("no Connection: close (status %d, %s)", resp.StatusCode, body)
	}
	if _, err := c.r.ReadByte(); !errors.Is(err, io.EOF) {
		t.Errorf("after the refusal the connection was not closed by the server: %v", err)
	}
	return resp
}

func TestSlowBodyWithoutTokenIsRefusedAtOnceAndDisconnected(t *testing.T) {
	ts := serve(t, newEcho().srv, nil)
	for _, path := range []string{"/mcp", "/message?sessionId=x"} {
		c := dialRaw(t, ts, path, "", 200000)
		if resp := c.refusal(t); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", path, resp.StatusCode)
		}
	}
}

func TestSlowBodyOfAVerifiedCallerTimesOut(t *testing.T) {
	ts := serve(t, newEcho().srv, func(c *Config) { c.BodyReadTimeout = 200 * time.Millisecond })
	c := dialRaw(t, ts, "/mcp", customerToken(t, "alice@example.com"), 200000)
	if resp := c.refusal(t); resp.StatusCode != http.StatusRequestTimeout {
		t.Errorf("status %d, want 408", resp.StatusCode)
	}
}

func TestHealthzAnswersWhileSlowClientsAreHeld(t *testing.T) {
	ts := serve(t, newEcho().srv, func(c *Config) { c.BodyReadTimeout = time.Hour })
	tok := customerToken(t, "alice@example.com")
	for range 40 {
		dialRaw(t, ts, "/mcp", tok, 200000) // held: the body read waits
		openStream(t, ts.url, "/sse", agentToken(t))
	}
	resp, err := http.Get(ts.url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz: %d", resp.StatusCode)
	}
}

func TestBatchIsAnInvalidRequest(t *testing.T) {
	ts := serve(t, newEcho().srv, nil)
	batch := "[" + initializeBody + "," + whoamiCallBody + "]"
	resp, body := post(t, ts.url+"/mcp", customerToken(t, "alice@example.com"), batch, nil)
	var msg struct {
		ID    any `json:"id"`
		Error struct {
			Code int `json:"code"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &msg); err != nil {
		t.Fatalf("%d %s: %v", resp.StatusCode, body, err)
	}
	if msg.Error.Code != -32600 || msg.ID != nil {
		t.Errorf("batch answered %d %s, want a JSON-RPC -32600 error with a null id", resp.StatusCode, body)
	}
}

func TestOversizedInitializeIsRefused(t *testing.T) {
	ts := serve(t, newEcho().srv, nil)
	tok := customerToken(t, "alice@example.com")
	big := strings.Replace(initializeBody, `"name":"raw"`, `"name":"`+strings.Repeat("x", 17<<10)+`"`, 1)
	resp, body := post(t, ts.url+"/mcp", tok, big, nil)
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("17 KiB initialize: %d %s, want 413", resp.StatusCode, body)
	}
	if resp, body := post(t, ts.url+"/mcp", tok, initializeBody, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("small initialize: %d %s", resp.StatusCode, body)
	}
	// Protocol 2026-07-28 carries client info and capabilities in each
	// request's _meta: the same bound applies there.
	meta := `{"jsonrpc":"2.0","id":3,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/clientCapabilities":{"x":"` +
		strings.Repeat("a", 17<<10) + `"}}}}`
	if resp, body := post(t, ts.url+"/mcp", tok, meta, map[string]string{"Mcp-Protocol-Version": "2026-07-28"}); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("17 KiB _meta: %d %s, want 413", resp.StatusCode, body)
	}
}

func TestLimitListenerCapsOpenConnections(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "ok")
	})}
	go srv.Serve(LimitListener(ln, 2))
	t.Cleanup(func() { srv.Close() })
	var held []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		held = append(held, c)
	}
	got := make(chan error, 1)
	go func() {
		resp, err := (&http.Client{Transport: &http.Transport{}}).Get("http://" + ln.Addr().String())
		if err == nil {
			resp.Body.Close()
		}
		got <- err
	}()
	select {
	case err := <-got:
		t.Fatalf("a third connection was served while two were open (err %v)", err)
	case <-time.After(300 * time.Millisecond):
	}
	held[0].Close()
	if err := <-got; err != nil {
		t.Errorf("once a connection closed, the waiting one was not served: %v", err)
	}
}

// One caller sending slow bodies holds at most MaxStreamsPerCaller
// connections with them; the next is refused at once, other callers are not.
func TestSlowBodiesArePerCaller(t *testing.T) {
	ts := serve(t, newEcho().srv, func(c *Config) { c.BodyReadTimeout = time.Hour; c.MaxStreamsPerCaller = 3 })
	alice := customerToken(t, "alice@example.com")
	for range 3 {
		dialRaw(t, ts, "/mcp", alice, 200000) // held open until the test ends
	}
	// The three are being read; wait until the server has taken them.
	deadline := time.Now().Add(10 * time.Second)
	for ts.h.bodies.count(requestKeyOf(t, alice)) < 3 {
		if time.Now().After(deadline) {
			t.Fatal("the server never started reading the three bodies")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if resp := dialRaw(t, ts, "/mcp", alice, 200000).refusal(t); resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("alice's 4th slow body: %d (Retry-After %q), want 429 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	bob := dialRaw(t, ts, "/mcp", customerToken(t, "bob@example.com"), 2)
	if _, err := io.WriteString(bob, "}"); err != nil {
		t.Fatal(err)
	}
	if resp, err := http.ReadResponse(bob.r, nil); err != nil || resp.StatusCode == http.StatusTooManyRequests {
		t.Errorf("bob, while alice holds her three: %v, %v", resp, err)
	}
}

// requestKeyOf is the per-caller key of a token signed with secretA.
func requestKeyOf(t *testing.T, tok string) string {
	t.Helper()
	id, err := identity.Verify([]byte(secretA), tok, identity.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	return callerKey(id)
}
