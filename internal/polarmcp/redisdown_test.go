package polarmcp

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/tools"
)

// privateRedis is a redis-server of this test's own, which it may stop
// and start again (the shared test Redis must keep running).
type privateRedis struct {
	t    *testing.T
	port string
	cmd  *exec.Cmd
}

func startPrivateRedis(t *testing.T) *privateRedis {
	t.Helper()
	_, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server is not installed")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	r := &privateRedis{t: t, port: port}
	r.start()
	t.Cleanup(r.stop)
	return r
}

func (r *privateRedis) url() string { return "redis://127.0.0.1:" + r.port + "/0" }

func (r *privateRedis) start() {
	r.t.Helper()
	r.cmd = exec.Command("redis-server", "--port", r.port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	if err := r.cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	for range 100 {
		if c, err := net.Dial("tcp", "127.0.0.1:"+r.port); err == nil {
			c.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	r.t.Fatal("redis-server did not start")
}

func (r *privateRedis) stop() {
	if r.cmd != nil && r.cmd.Process != nil {
		_ = r.cmd.Process.Kill()
		_ = r.cmd.Wait()
		r.cmd = nil
	}
}

// deliverTo POSTs a delivery signed with testWebhookSecret to base.
func deliverTo(t *testing.T, base, id, body string) int {
	t.Helper()
	now := time.Now()
	req, _ := http.NewRequest(http.MethodPost, base+WebhookPath, strings.NewReader(body))
	req.Header.Set("webhook-id", id)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(now.Unix(), 10))
	req.Header.Set("webhook-signature", signWebhook(testWebhookSecret, id, now, []byte(body)))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// readyBudget is what an instance's /readyz (full details) says of its
// rate budget.
func readyBudget(in *instance) string {
	d, _ := in.e.readyDetails(context.Background(), true).(map[string]any)
	s, _ := d["rate_budget"].(string)
	return s
}

// With Redis stopped: each instance notices within seconds without any
// traffic (/readyz, polarmcp_degraded), an invalidation still reaches the
// instance that received the webhook, and no instance serves a billing
// answer older than the short cap (5 s) though BillingTTL is an hour.
// With Redis back, sharing resumes within seconds, without traffic.
func TestRedisOutageFallsBackToTheShortCapAndRecovers(t *testing.T) {
	rd := startPrivateRedis(t)
	fake, ts := demoAPI(t)
	a, b := newInstance(t, ts.URL, rd.url(), nil), newInstance(t, ts.URL, rd.url(), nil)
	eventually(t, "both learn the organization", func() bool {
		return a.e.merchant.Org() != "" && b.e.merchant.Org() != ""
	})
	secret := strings.Repeat("k", 48)
	alice := identity.Claims{Role: caller.Customer, Email: "alice@example.com", EmailVerified: true, Subject: "user-1"}
	asks := func(in *instance) bool { // whether a call makes in ask Polar for Alice's subscriptions
		before := 0
		for _, r := range fake.Requests() {
			if strings.HasPrefix(r.Path, "/v1/subscriptions") {
				before++
			}
		}
		if res := callSigned(t, in.url, secret, alice, tools.NameSubscriptionStatus, nil); res.IsError {
			t.Fatalf("call: %+v", res.Content)
		}
		after := 0
		for _, r := range fake.Requests() {
			if strings.HasPrefix(r.Path, "/v1/subscriptions") {
				after++
			}
		}
		return after > before
	}
	// Webhooks arrive: billing answers are kept for the hour.
	if code := deliverTo(t, a.url, "msg_warm", `{"type":"product.updated","data":{"id":"p1"}}`); code != http.StatusAccepted {
		t.Fatalf("warm-up delivery: %d", code)
	}
	eventually(t, "both trust webhooks", func() bool {
		return a.e.fleet.Fresh(a.e.merchant.Org()) && b.e.fleet.Fresh(b.e.merchant.Org())
	})
	asks(a)
	asks(b)
	if asks(a) || asks(b) {
		t.Fatal("billing answers are not kept while Redis shares invalidations")
	}
	if got := readyBudget(a); got != "shared through redis" {
		t.Fatalf("/readyz before the outage: %q", got)
	}

	rd.stop()
	stopped := time.Now()
	eventually(t, "both notice the outage without traffic", func() bool { return a.e.fleet.Degraded() && b.e.fleet.Degraded() })
	t.Logf("outage noticed in %s", time.Since(stopped).Round(time.Millisecond))
	if got := readyBudget(b); !strings.Contains(got, "unreachable") {
		t.Errorf("/readyz during the outage: %q", got)
	}
	// A webhook now: answered 503 (Polar redelivers), applied at A.
	body := fmt.Sprintf(`{"type":"subscription.updated","data":{"id":"s1","customer_id":%q}}`, aliceID)
	if code := deliverTo(t, a.url, "msg_down", body); code != http.StatusServiceUnavailable {
		t.Errorf("a delivery while Redis is away: %d, want 503", code)
	}
	eventually(t, "A drops Alice's billing though it cannot share that", func() bool { return asks(a) })
	// B never heard of it: its answer, kept before the outage, is not
	// served once older than 5 s.
	time.Sleep(5*time.Second + 100*time.Millisecond)
	if !asks(b) {
		t.Error("B served a billing answer older than the short cap while invalidations could not reach it")
	}

	rd.start()
	back := time.Now()
	eventually(t, "sharing resumes without traffic", func() bool { return !a.e.fleet.Degraded() && !b.e.fleet.Degraded() })
	t.Logf("sharing resumed %s after Redis came back", time.Since(back).Round(time.Millisecond))
	if got := readyBudget(a); got != "shared through redis" {
		t.Errorf("/readyz after the outage: %q", got)
	}
}
