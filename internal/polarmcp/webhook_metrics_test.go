package polarmcp

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/config"
)

// Webhook deliveries are counted by how they were answered.
func TestWebhookDeliveriesAreCounted(t *testing.T) {
	const secret = "whsec_metrics_test_secret_0123456789"
	base, metrics := serveObserved(t, &syncBuffer{}, func(c *config.Config) { c.WebhookSecret = secret })
	post := func(id, signature string) int {
		body := `{"type":"organization.updated","timestamp":"2026-11-25T12:00:00Z","data":{}}`
		req, _ := http.NewRequest(http.MethodPost, base+"/webhooks/polar", strings.NewReader(body))
		now := time.Now()
		if signature == "" {
			signature = signWebhook(secret, id, now, []byte(body))
		}
		req.Header.Set("webhook-id", id)
		req.Header.Set("webhook-timestamp", strconv.FormatInt(now.Unix(), 10))
		req.Header.Set("webhook-signature", signature)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	// The single merchant learns its organization at start; until then
	// its webhook path is not served.
	deadline := time.Now().Add(20 * time.Second)
	for code := post("msg_1", ""); code != http.StatusAccepted; code = post("msg_1", "") {
		if time.Now().After(deadline) {
			t.Fatalf("a signed delivery is answered %d", code)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if code := post("msg_1", ""); code != http.StatusNoContent {
		t.Errorf("the same delivery again: %d, want 204", code)
	}
	if code := post("msg_2", "v1,bm90IHRoZSBzaWduYXR1cmU="); code != http.StatusUnauthorized {
		t.Errorf("a forged delivery: %d, want 401", code)
	}
	_, scrape := fetchText(t, metrics+"/metrics")
	for _, want := range []string{
		`polarmcp_webhook_deliveries_total{outcome="accepted"} 1`,
		`polarmcp_webhook_deliveries_total{outcome="duplicate"} 1`,
		`polarmcp_webhook_deliveries_total{outcome="refused"} 1`,
	} {
		if !strings.Contains(scrape, want) {
			t.Errorf("scrape lacks %s", want)
		}
	}
}
