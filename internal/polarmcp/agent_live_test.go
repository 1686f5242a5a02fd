package polarmcp

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
)

// Carol's paused subscription and Alice, in the demo organization.
const (
	carolSubscription = "51000000-0001-4000-8003-000000000003"
	aliceID           = "c1000000-0001-4000-8001-000000000001"
)

// hookTarget sends the fake Polar's webhook deliveries, over HTTP, to a
// URL known only once the server under test listens (the fake must exist
// first: the server reads from it).
type hookTarget struct{ url atomic.Pointer[url.URL] }

// point makes deliveries go to raw from now on.
func (h *hookTarget) point(t *testing.T, raw string) {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	h.url.Store(u)
}

// Do implements fakepolar.Doer.
func (h *hookTarget) Do(req *http.Request) (*http.Response, error) {
	u := h.url.Load()
	if u == nil {
		return &http.Response{StatusCode: http.StatusServiceUnavailable, Body: http.NoBody, Request: req}, nil
	}
	req = req.Clone(req.Context())
	req.URL, req.Host = u, u.Host
	return http.DefaultClient.Do(req)
}

// liveFake is the demo organization, served over HTTP, sending its
// signed webhooks wherever target points.
func liveFake(t *testing.T, tokens map[string][]string, secret string) (*fakepolar.Server, string, *hookTarget) {
	t.Helper()
	target := &hookTarget{}
	fake, err := fakepolar.Demo(fakepolar.Options{Tokens: tokens,
		Webhook: fakepolar.Webhook{URL: "http://polar-mcp.invalid/", Secret: secret, Client: target}})
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(fake)
	t.Cleanup(api.Close)
	return fake, api.URL, target
}

// webhookTrust is the billing TTL cap the detailed /readyz (at readyz,
// on the metrics listener) reports for connection ("" the single
// merchant), "" while the server does not serve it yet.
func webhookTrust(t *testing.T, readyz, connection string) string {
	t.Helper()
	trust, _ := webhookState(t, readyz, connection)
	return trust
}

// webhookState is the billing TTL cap and the organization the detailed
// /readyz reports for connection.
func webhookState(t *testing.T, readyz, connection string) (trust, org string) {
	t.Helper()
	res, err := http.Get(readyz)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		Details struct {
			Webhooks []struct {
				Connection   string `json:"connection"`
				Organization string `json:"organization"`
				BillingTTL   string `json:"billing_ttl_cap"`
			} `json:"webhooks"`
		} `json:"details"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatalf("/readyz: %v", err)
	}
	for _, h := range body.Details.Webhooks {
		if h.Connection == connection {
			return h.BillingTTL, h.Organization
		}
	}
	return "", ""
}

// warmUp makes the organization's webhooks known to arrive: a change to
// Alice is delivered (and accepted), after which /readyz reports the
// hour-long billing cap for connection, so that a cached billing answer
// would be served for the whole configured TTL unless a webhook drops it.
func warmUp(t *testing.T, fake *fakepolar.Server, readyz, connection string) {
	t.Helper()
	before := len(fake.WebhookDeliveries())
	if _, err := fake.UpdateCustomer(aliceID, map[string]any{"name": "Alice M."}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	got, err := fake.WaitWebhookDeliveries(ctx, before+1)
	if err != nil {
		t.Fatal(err)
	}
	if d := got[before]; !d.Delivered || d.Status != http.StatusAccepted {
		t.Fatalf("the server answered Polar's %s delivery %d (%s), want 202", d.Type, d.Status, d.Err)
	}
	eventually(t, "the server trusts the organization's webhooks", func() bool {
		return webhookTrust(t, readyz, connection) == "1h"
	})
}
