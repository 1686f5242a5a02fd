package fakepolar

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// receiver is a webhook endpoint that verifies signatures on its own.
type receiver struct {
	secret string
	failN  int // answer 500 to the first failN requests

	mu       sync.Mutex
	seen     int
	verified map[string][]byte // webhook-id → body, signature checked
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	id, ts := r.Header.Get("webhook-id"), r.Header.Get("webhook-timestamp")
	mac := hmac.New(sha256.New, []byte(rc.secret))
	mac.Write([]byte(id + "." + ts + "." + string(body)))
	want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.seen++
	if rc.seen <= rc.failN {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	if _, err := strconv.ParseInt(ts, 10, 64); err != nil || id == "" || r.Header.Get("webhook-signature") != want {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	rc.verified[id] = body
	w.WriteHeader(http.StatusNoContent)
}

func TestWebhooksAreSignedAndMatchTheirSchemas(t *testing.T) {
	c := loadContract(t)
	rc := &receiver{secret: "polar_whs_test_secret", failN: 1, verified: map[string][]byte{}}
	hook := newHTTPServer(t, rc)
	s, _ := newTestServer(t, demoFS(t), Options{Webhook: Webhook{URL: hook.URL, Secret: rc.secret, RetryDelay: time.Millisecond}})

	mustOK := func(_ map[string]any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	mustOK(s.UpdateCustomer(aliceID, map[string]any{"email": "alice.new@example.com"}))
	mustOK(s.AddCustomer(map[string]any{"email": "alice@example.com"}))
	mustOK(s.UpdateSubscription(demoID("51000000", 1), map[string]any{"cancel_at_period_end": true}))
	mustOK(s.UpdateSubscription(demoID("51000000", 3), map[string]any{"status": "active", "paused_at": nil}))
	mustOK(s.AddSubscription(map[string]any{"customer_id": erinID, "product_id": demoID("d1000000", 1)}))
	mustOK(s.UpdateOrder(demoID("0d000000", 1), map[string]any{"status": "refunded", "refunded_amount": 2400}))
	mustOK(s.UpdateBenefitGrant(demoID("b6000000", 1), map[string]any{"is_revoked": true, "is_granted": false}))
	want := []string{
		"customer.updated", "customer.state_changed", "customer.created", "customer.state_changed",
		"subscription.updated", "subscription.canceled", "customer.state_changed",
		"subscription.updated", "subscription.resumed", "subscription.active", "customer.state_changed",
		"subscription.created", "subscription.active", "customer.state_changed",
		"order.updated", "order.refunded",
		"benefit_grant.updated", "benefit_grant.revoked", "customer.state_changed",
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	got, err := s.WaitWebhookDeliveries(ctx, len(want))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for i, d := range got {
		if d.Type != want[i] {
			t.Errorf("delivery %d is %s, want %s", i, d.Type, want[i])
		}
		if !d.Delivered || ids[d.ID] {
			t.Errorf("%s %s: delivered %v (status %d, %s), duplicate id %v", d.Type, d.ID, d.Delivered, d.Status, d.Err, ids[d.ID])
		}
		ids[d.ID] = true
		rc.mu.Lock()
		body, ok := rc.verified[d.ID]
		rc.mu.Unlock()
		if !ok || string(body) != string(d.Body) {
			t.Errorf("%s %s: the receiver did not verify its signature", d.Type, d.ID)
			continue
		}
		c.validate(t, webhookSchema(t, c, d.Type), d.Type, body)
		var payload struct{ Type string }
		if json.Unmarshal(body, &payload); payload.Type != d.Type {
			t.Errorf("payload type %q, want %q", payload.Type, d.Type)
		}
	}
	if got[0].Attempts != 2 {
		t.Errorf("the first event took %d attempts, want 2 (the receiver failed once)", got[0].Attempts)
	}
}

// webhookSchema compiles the payload schema the OpenAPI document gives
// the webhook typ.
func webhookSchema(t *testing.T, c *contract, typ string) *jsonschema.Schema {
	t.Helper()
	hooks, _ := c.doc["webhooks"].(map[string]any)
	if _, ok := hooks[typ]; !ok {
		t.Fatalf("webhook %s is not in the OpenAPI document", typ)
	}
	return c.schema(t, "/webhooks/"+typ+"/post/requestBody/content/application~1json/schema")
}

func TestWebhooksGiveUpAfterBoundedRetries(t *testing.T) {
	hook := newHTTPServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	s, _ := newTestServer(t, demoFS(t), Options{Webhook: Webhook{URL: hook.URL, Secret: "s", Attempts: 2, RetryDelay: time.Millisecond}})
	if _, err := s.UpdateCustomer(erinID, map[string]any{"name": "Erin"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	got, err := s.WaitWebhookDeliveries(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range got {
		if d.Delivered || d.Attempts != 2 || d.Status != http.StatusServiceUnavailable {
			t.Errorf("%s: delivered %v after %d attempts, status %d", d.Type, d.Delivered, d.Attempts, d.Status)
		}
	}
}

func TestSignWebhookMatchesStandardWebhooksVector(t *testing.T) {
	// Vector computed independently (Python's hmac): HMAC-SHA256, key
	// "whsec-test", over "msg_1.1700000000.{}".
	const want = "v1,uAV8oAkUi3EjrjtOUdZkDCVAG9Iw12hu8Wdrw7+4bzM="
	if got := SignWebhook("whsec-test", "msg_1", time.Unix(1700000000, 0), []byte("{}")); got != want {
		t.Errorf("SignWebhook = %s, want %s", got, want)
	}
}
