package polarmcp

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/fleet"
	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/tools"
)

// roundRobin sends each request to the next replica, as a load balancer
// without sticky sessions does.
type roundRobin struct {
	replicas []*url.URL
	n        atomic.Uint64
	seen     []atomic.Int64
}

// balance is a round-robin balancer over the instances.
func balance(t *testing.T, ins ...*instance) *roundRobin {
	t.Helper()
	rr := &roundRobin{seen: make([]atomic.Int64, len(ins))}
	for _, in := range ins {
		u, err := url.Parse(in.url)
		if err != nil {
			t.Fatal(err)
		}
		rr.replicas = append(rr.replicas, u)
	}
	return rr
}

func (rr *roundRobin) RoundTrip(req *http.Request) (*http.Response, error) {
	i := int(rr.n.Add(1)-1) % len(rr.replicas)
	rr.seen[i].Add(1)
	r := req.Clone(req.Context())
	r.URL.Scheme, r.URL.Host, r.Host = rr.replicas[i].Scheme, rr.replicas[i].Host, rr.replicas[i].Host
	return http.DefaultTransport.RoundTrip(r)
}

// A streamable-HTTP session opened at one replica goes on at the others:
// session ids are checked without state, so no sticky sessions are needed.
func TestStreamableSessionsNeedNoStickyReplica(t *testing.T) {
	_, ts := demoAPI(t)
	a, b := newInstance(t, ts.URL, "", nil), newInstance(t, ts.URL, "", nil)
	rr := balance(t, a, b)
	tok, err := identity.Mint([]byte(strings.Repeat("k", 48)), identity.Claims{Role: caller.Customer, Email: "alice@example.com",
		EmailVerified: true, Subject: "user-1"}, time.Minute, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, version := range []string{"2025-03-26", "2025-06-18", "2025-11-25"} {
		t.Run(version, func(t *testing.T) {
			c, err := client.NewStreamableHttpClient(a.url+"/mcp",
				transport.WithHTTPBasicClient(&http.Client{Transport: rr}),
				transport.WithHTTPHeaders(map[string]string{"Authorization": "Bearer " + tok}))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := c.Start(ctx); err != nil {
				t.Fatal(err)
			}
			init := mcp.InitializeRequest{}
			init.Params.ProtocolVersion = version
			init.Params.ClientInfo = mcp.Implementation{Name: "replicas-test", Version: "1"}
			if _, err := c.Initialize(ctx, init); err != nil {
				t.Fatal(err)
			}
			if _, err := c.ListTools(ctx, mcp.ListToolsRequest{}); err != nil {
				t.Fatalf("tools/list at the other replica: %v", err)
			}
			for i := range 4 {
				text, isErr, err := testkit.CallTool(ctx, c, tools.NameSubscriptionStatus, nil)
				if err != nil || isErr || !strings.Contains(text, "€24.00") {
					t.Fatalf("call %d: %q, %v, %v", i, text, isErr, err)
				}
			}
		})
	}
	if rr.seen[0].Load() == 0 || rr.seen[1].Load() == 0 {
		t.Fatalf("the balancer did not spread the requests: %d and %d", rr.seen[0].Load(), rr.seen[1].Load())
	}
}

// A legacy SSE stream opened at one replica gets the answers to message
// POSTs a balancer without sticky sessions sends to the other: that one
// forwards them, through Redis, to the replica holding the stream.
//
// No caller token crosses Redis: a subscriber to every relay channel sees
// the forwarded POSTs, and not one byte of the tokens that sent them.
func TestSSEMessagesReachTheReplicaHoldingTheStream(t *testing.T) {
	redisURL := testRedis(t)
	spy := spyRelay(t, redisURL)
	_, ts := demoAPI(t)
	a, b := newInstance(t, ts.URL, redisURL, nil), newInstance(t, ts.URL, redisURL, nil)
	rr := balance(t, a, b)
	secret := strings.Repeat("k", 48)
	tok, err := identity.Mint([]byte(secret), identity.Claims{Role: caller.Customer, Email: "alice@example.com",
		EmailVerified: true, Subject: "user-1"}, time.Minute, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	defer spy.check(t, tok, secret)
	c, err := client.NewSSEMCPClient(a.url+"/sse", transport.WithHTTPClient(&http.Client{Transport: rr}),
		transport.WithHeaders(map[string]string{"Authorization": "Bearer " + tok}))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = "2024-11-05"
	init.Params.ClientInfo = mcp.Implementation{Name: "replicas-test", Version: "1"}
	if _, err := c.Initialize(ctx, init); err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		text, isErr, err := testkit.CallTool(ctx, c, tools.NameSubscriptionStatus, nil)
		if err != nil || isErr || !strings.Contains(text, "€24.00") {
			t.Fatalf("call %d: %q, %v, %v", i, text, isErr, err)
		}
	}
	if rr.seen[0].Load() < 2 || rr.seen[1].Load() < 2 {
		t.Fatalf("the balancer did not spread the requests: %d and %d", rr.seen[0].Load(), rr.seen[1].Load())
	}

	// At the other replica, another identity's POST to that stream is
	// refused, as at the holder; the stream's own is forwarded.
	bob, err := identity.Mint([]byte(secret), identity.Claims{Role: caller.Customer, Email: "bob@example.com",
		EmailVerified: true, Subject: "user-2"}, time.Minute, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	endpoint := sseEndpoint(t, a.url, tok)
	ping := `{"jsonrpc":"2.0","id":7,"method":"ping"}`
	if code := postMessage(t, b.url+endpoint, bob, ping); code != http.StatusForbidden {
		t.Errorf("another identity's POST at the other replica: %d, want 403", code)
	}
	if code := postMessage(t, b.url+endpoint, tok, ping); code != http.StatusAccepted {
		t.Errorf("the stream's own POST at the other replica: %d, want 202 (forwarded)", code)
	}
	if code := postMessage(t, b.url+"/message?sessionId=nobody.x", tok, ping); code == http.StatusAccepted {
		t.Error("a POST for a session no replica holds was accepted")
	}
	spy.check(t, bob)
}

// relaySpy is a subscriber to every channel of the SSE relay.
type relaySpy struct {
	mu   sync.Mutex
	msgs []string
}

func spyRelay(t *testing.T, redisURL string) *relaySpy {
	t.Helper()
	rdb := testkit.RedisAt(t, redisURL)
	sub := rdb.PSubscribe(t.Context(), fleet.DefaultRelayPrefix+"*")
	t.Cleanup(func() { sub.Close() })
	if _, err := sub.Receive(t.Context()); err != nil {
		t.Fatal(err)
	}
	s := &relaySpy{}
	go func() {
		for m := range sub.Channel() {
			s.mu.Lock()
			s.msgs = append(s.msgs, m.Payload)
			s.mu.Unlock()
		}
	}()
	return s
}

// check fails the test unless the spy saw relayed POSTs, and none
// holding any of secrets (tokens, their signatures, "Bearer").
func (s *relaySpy) check(t *testing.T, secrets ...string) {
	t.Helper()
	time.Sleep(200 * time.Millisecond) // the last messages arrive
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.msgs) == 0 {
		t.Fatal("the spy saw nothing cross the relay")
	}
	var parts []string
	for _, sec := range secrets {
		parts = append(parts, sec)
		if tokParts := strings.Split(sec, "."); len(tokParts) == 3 {
			parts = append(parts, tokParts...) // a JWT's header, claims and signature, each
		}
	}
	for _, m := range s.msgs {
		var env struct {
			P []byte `json:"p"` // a forwarded message, base64 in its envelope
		}
		if json.Unmarshal([]byte(m), &env) == nil {
			m += string(env.P)
		}
		for _, p := range append(parts, "Bearer", "Authorization") {
			if len(p) >= 6 && strings.Contains(m, p) {
				t.Errorf("%q crossed Redis in a relay message (%d bytes)", p[:6]+"…", len(m))
			}
		}
	}
}

// sseEndpoint opens a legacy SSE stream at base as tok, for the rest of
// the test, and returns the message endpoint it announces.
func sseEndpoint(t *testing.T, base, tok string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/sse", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok && strings.Contains(data, "sessionId=") {
			u, err := url.Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			return u.RequestURI()
		}
	}
	t.Fatal("the SSE stream announced no endpoint")
	return ""
}

func postMessage(t *testing.T, url, tok, body string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// Email lookups and the catalog one replica asked Polar for are found by
// the others in Redis; an invalidation at one drops the shared copy too.
func TestReplicasShareLookupsAndTheCatalog(t *testing.T) {
	redis := testRedis(t)
	fake, ts := demoAPI(t)
	a, b := newInstance(t, ts.URL, redis, nil), newInstance(t, ts.URL, redis, nil)
	eventually(t, "both instances learn the organization", func() bool {
		return a.e.merchant.Org() != "" && b.e.merchant.Org() != ""
	})
	ctx := context.Background()
	alice, err := a.e.merchant.FindCustomerByEmail(ctx, "alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.e.merchant.ListProducts(ctx); err != nil {
		t.Fatal(err)
	}
	fake.ResetRequests()
	got, err := b.e.merchant.FindCustomerByEmail(ctx, "alice@example.com")
	if err != nil || got.ID != alice.ID {
		t.Fatalf("the other replica's lookup: %+v, %v", got, err)
	}
	if !got.Kept {
		t.Error("a lookup from the shared tier is not marked Kept (an empty answer behind it would not be confirmed)")
	}
	if got.Name != "" {
		t.Errorf("the shared tier holds the customer's name %q; it keeps only what a lookup needs", got.Name)
	}
	if _, err := b.e.merchant.ListProducts(ctx); err != nil {
		t.Fatal(err)
	}
	if n := fake.RequestCount(); n != 0 {
		t.Fatalf("the other replica sent %d requests for what the first had asked: %v", n, fake.Requests())
	}

	for _, in := range []*instance{a, b} { // as webhooks do, at every replica
		in.e.merchant.ForgetCustomer(alice.ID)
		in.e.merchant.ForgetCatalog()
	}
	fake.ResetRequests()
	if _, err := b.e.merchant.FindCustomerByEmail(ctx, "alice@example.com"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.e.merchant.ListProducts(ctx); err != nil {
		t.Fatal(err)
	}
	if n := fake.RequestCount(); n != 2 {
		t.Errorf("after the invalidations, %d requests, want 2 (the lookup and the catalog asked of Polar again)", n)
	}
}

// A lookup another replica shared is checked like one this replica kept:
// after an address moves (no webhooks), the next answer anywhere comes
// from the new record.
func TestASharedLookupThatMovedIsAnsweredFromTheNewRecord(t *testing.T) {
	redis := testRedis(t)
	fake, ts := demoAPI(t)
	noBilling := func(c *config.Config) { c.BillingCacheTTL = 0 } // the default: billing answers are not kept
	a, b := newInstance(t, ts.URL, redis, noBilling), newInstance(t, ts.URL, redis, noBilling)
	eventually(t, "both instances learn the organization", func() bool {
		return a.e.merchant.Org() != "" && b.e.merchant.Org() != ""
	})
	secret := strings.Repeat("k", 48)
	alice := identity.Claims{Role: caller.Customer, Email: "alice@example.com", EmailVerified: true, Subject: "user-1"}
	if res := callSigned(t, a.url, secret, alice, tools.NameSubscriptionStatus, nil); res.IsError || !strings.Contains(testkit.Text(res), "€24.00") {
		t.Fatalf("before the move: %s", testkit.Text(res))
	}
	if _, err := fake.UpdateCustomer("c1000000-0001-4000-8001-000000000001", map[string]any{"email": "alice.new@example.com"}); err != nil {
		t.Fatal(err)
	}
	if _, err := fake.UpdateCustomer("c1000000-0001-4000-8002-000000000002", map[string]any{"email": "alice@example.com"}); err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string]*instance{"b": b, "a": a} {
		res := callSigned(t, in.url, secret, alice, tools.NameSubscriptionStatus, nil)
		if text := testkit.Text(res); res.IsError || !strings.Contains(text, "$490.00") || strings.Contains(text, "€") {
			t.Errorf("after the move, at %s: %q, want Bob's record", name, text)
		}
	}
}
