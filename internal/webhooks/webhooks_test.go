package webhooks

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/polar-mcp/polar-mcp/internal/testkit"
)

const secret = "polar_whs_test_secret"

func headers(id string, ts time.Time, sig string) http.Header {
	h := http.Header{}
	h.Set("webhook-id", id)
	h.Set("webhook-timestamp", strconv.FormatInt(ts.Unix(), 10))
	h.Set("webhook-signature", sig)
	return h
}

// independent signs as the spec says, without the package's code.
func independent(key []byte, id string, ts time.Time, body string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id + "." + strconv.FormatInt(ts.Unix(), 10) + "." + body))
	return "v1," + base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func TestStandardWebhooksPublishedVector(t *testing.T) {
	// The example of the Standard Webhooks spec; its key is the base64
	// part of its whsec_ secret.
	key, _ := base64.StdEncoding.DecodeString("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	got := "v1," + base64.StdEncoding.EncodeToString(mac(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", []byte(`{"test": 2432232314}`)))
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Fatalf("signature %s, want the spec's %s", got, want)
	}
}

func TestVerify(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	v := Verifier{Secret: secret, Now: func() time.Time { return now }}
	body := `{"type":"order.paid","data":{}}`
	good := independent([]byte(secret), "msg_1", now, body)
	cases := []struct {
		name string
		h    http.Header
		body string
		want error
	}{
		{"valid among others", headers("msg_1", now, "v1,AAAA "+good), body, nil},
		{"other secret", headers("msg_1", now, independent([]byte("other"), "msg_1", now, body)), body, ErrBadSignature},
		{"body changed", headers("msg_1", now, good), body + " ", ErrBadSignature},
		{"id changed", headers("msg_2", now, good), body, ErrBadSignature},
		{"too old", headers("msg_1", now.Add(-6*time.Minute), independent([]byte(secret), "msg_1", now.Add(-6*time.Minute), body)), body, ErrBadTimestamp},
		{"too new", headers("msg_1", now.Add(6*time.Minute), independent([]byte(secret), "msg_1", now.Add(6*time.Minute), body)), body, ErrBadTimestamp},
		{"no signature", headers("msg_1", now, ""), body, ErrMissingHeaders},
	}
	for _, c := range cases {
		id, err := v.Verify(c.h, []byte(c.body))
		if err != c.want || (err == nil && id != "msg_1") {
			t.Errorf("%s: Verify = %q, %v; want %v", c.name, id, err, c.want)
		}
	}
}

func TestMap(t *testing.T) {
	cases := []struct {
		typ, data string
		want      []Change
	}{
		{"customer.updated", `{"id":"c1","email":"A@x.io"}`, []Change{{Org: "o", Scope: ScopeCustomer, CustomerID: "c1", Email: "A@x.io",
			Event: "customer.updated", Record: `{"id":"c1","email":"A@x.io"}`}}},
		{"customer.state_changed", `{"id":"c1","email":"a@x.io","active_subscriptions":[]}`, []Change{{Org: "o", Scope: ScopeCustomer,
			CustomerID: "c1", Email: "a@x.io", Event: "customer.state_changed", Record: `{"id":"c1","email":"a@x.io","active_subscriptions":[]}`}}},
		{"order.paid", `{"id":"o1","customer":{"id":"c2"}}`, []Change{{Org: "o", Scope: ScopeBilling, CustomerID: "c2",
			Event: "order.paid", Record: `{"id":"o1","customer":{"id":"c2"}}`}}},
		{"refund.created", `{"id":"r1","customer_id":"c2","order_id":"o1"}`, []Change{{Org: "o", Scope: ScopeBilling, CustomerID: "c2",
			Event: "refund.created", Record: `{"id":"r1","customer_id":"c2","order_id":"o1"}`}}},
		{"subscription.canceled", `{"id":"s1","customer_id":"c2"}`, []Change{{Org: "o", Scope: ScopeBilling, CustomerID: "c2",
			Event: "subscription.canceled", Record: `{"id":"s1","customer_id":"c2"}`}}},
		{"benefit_grant.revoked", `{"id":"g1","customer":{"id":"c3"}}`, []Change{{Org: "o", Scope: ScopeBilling, CustomerID: "c3",
			Event: "benefit_grant.revoked", Record: `{"id":"g1","customer":{"id":"c3"}}`}}},
		{"discount.created", `{"id":"d1"}`, nil},
		{"product.updated", `{"id":"p1"}`, []Change{{Org: "o", Scope: ScopeCatalog}}},
		{"organization.updated", `{"id":"o"}`, []Change{{Org: "o", Scope: ScopeOrganization}}},
		{"checkout.created", `{"id":"k"}`, nil},
	}
	for _, c := range cases {
		got := Map(Event{Type: c.typ, Org: "o", Data: []byte(c.data)})
		if len(got) != len(c.want) || (len(got) == 1 && got[0] != c.want[0]) {
			t.Errorf("%s: %+v, want %+v", c.typ, got, c.want)
		}
	}
}

func deliver(t *testing.T, h http.Handler, id, body string) int {
	req := httptest.NewRequest(http.MethodPost, "/webhooks/polar", strings.NewReader(body))
	req.Header = headers(id, time.Now(), independent([]byte(secret), id, time.Now(), body))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

func newHandler(t *testing.T, d Deduper, queue int, got chan Event) *Handler {
	h, err := NewHandler(HandlerConfig{
		Endpoint: func(*http.Request) (Endpoint, bool) { return Endpoint{Org: "o", Connection: "c", Secret: secret}, true },
		Process:  func(_ context.Context, ev Event) { got <- ev },
		Dedupe:   d, Queue: queue,
	})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestHandlerAcceptsOnceAndSheds(t *testing.T) {
	got := make(chan Event, 4)
	h := newHandler(t, nil, 1, got)
	body := `{"type":"order.paid","timestamp":"2026-01-01T00:00:00Z","data":{"customer_id":"c1"}}`
	if code := deliver(t, h, "msg_a", body); code != http.StatusAccepted {
		t.Fatalf("first delivery: %d", code)
	}
	if code := deliver(t, h, "msg_a", body); code != http.StatusNoContent {
		t.Fatalf("repeated delivery: %d, want 204 without processing", code)
	}
	if code := deliver(t, h, "msg_b", body); code != http.StatusServiceUnavailable {
		t.Fatalf("delivery with the queue full: %d, want 503", code)
	}
	if _, ok := h.LastReceived("c"); !ok {
		t.Fatal("no last webhook time for the connection")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go h.Run(ctx)
	if ev := <-got; ev.ID != "msg_a" || ev.Type != "order.paid" {
		t.Fatalf("processed %+v", ev)
	}
	// The shed delivery is processed when Polar retries it.
	if code := deliver(t, h, "msg_b", body); code != http.StatusAccepted {
		t.Fatalf("retried delivery: %d", code)
	}
	if code := deliver(t, h, "msg_c", body[:10]); code != http.StatusBadRequest {
		t.Fatalf("signed garbage: %d", code)
	}
}

func TestRedisDedupeAcrossInstances(t *testing.T) {
	opt := testkit.RedisOptions(t)
	pfx := "polar-mcp-test:" + strconv.FormatInt(time.Now().UnixNano(), 36) + ":"
	got := make(chan Event, 4)
	var codes []int
	for range 3 {
		rdb := redis.NewClient(opt)
		t.Cleanup(func() { _ = rdb.Close() })
		h := newHandler(t, NewRedisDedupe(rdb, pfx), 4, got)
		codes = append(codes, deliver(t, h, "msg_x", `{"type":"product.updated","data":{"id":"p"}}`))
	}
	if codes[0] != http.StatusAccepted || codes[1] != http.StatusNoContent || codes[2] != http.StatusNoContent {
		t.Fatalf("three instances answered %v, want one 202 and then 204s", codes)
	}
}

// Delivery ids are deduplicated per endpoint: the same id delivered to
// two connections' endpoints and to the single merchant's is processed
// at each, once, across instances sharing one Redis.
func TestRedisDedupeIsPerEndpoint(t *testing.T) {
	opt := testkit.RedisOptions(t)
	pfx := "polar-mcp-test:" + strconv.FormatInt(time.Now().UnixNano(), 36) + ":"
	got := make(chan Event, 16)
	endpoints := map[string]Endpoint{
		"/c/conn_a/webhooks/polar": {Org: "org_a", Connection: "conn_a", Secret: "polar_whs_secret_of_a"},
		"/c/conn_b/webhooks/polar": {Org: "org_b", Connection: "conn_b", Secret: "polar_whs_secret_of_b"},
		"/webhooks/polar":          {Org: "org_m", Secret: "polar_whs_secret_of_m"},
	}
	var instances []*Handler
	for range 2 {
		rdb := redis.NewClient(opt)
		t.Cleanup(func() { _ = rdb.Close() })
		h, err := NewHandler(HandlerConfig{
			Endpoint: func(r *http.Request) (Endpoint, bool) { ep, ok := endpoints[r.URL.Path]; return ep, ok },
			Process:  func(_ context.Context, ev Event) { got <- ev },
			Dedupe:   NewRedisDedupe(rdb, pfx),
		})
		if err != nil {
			t.Fatal(err)
		}
		instances = append(instances, h)
	}
	body := `{"type":"subscription.canceled","data":{"id":"s1","customer_id":"c1"}}`
	send := func(h *Handler, path string) int {
		now := time.Now()
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		req.Header = headers("msg_same", now, independent([]byte(endpoints[path].Secret), "msg_same", now, body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	for i, path := range []string{"/c/conn_a/webhooks/polar", "/c/conn_b/webhooks/polar", "/webhooks/polar"} {
		if code := send(instances[i%2], path); code != http.StatusAccepted {
			t.Errorf("%s: first delivery of msg_same answered %d, want 202: another endpoint's delivery made it a duplicate", path, code)
		}
		if code := send(instances[(i+1)%2], path); code != http.StatusNoContent {
			t.Errorf("%s: second delivery of msg_same on another instance answered %d, want 204", path, code)
		}
	}
}
