package polarmcp

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// signWebhook returns the webhook-signature value Polar sends for a
// delivery (Standard Webhooks: HMAC-SHA256 of id.timestamp.body, keyed by
// the secret's bytes), what webhooks.Verifier checks.
func signWebhook(secret, id string, ts time.Time, body []byte) string {
	h := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(h, "%s.%d.", id, ts.Unix())
	h.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// The webhook endpoint answers 401 to a delivery Polar did not sign (or
// signed long ago), processes each delivery once, and never serves a
// connection's path without one.
func TestWebhookEndpointVerifiesAndDedupes(t *testing.T) {
	redis := testRedis(t)
	_, ts := demoAPI(t)
	in := newInstance(t, ts.URL, redis, nil)
	body := `{"type":"product.updated","timestamp":"2026-05-01T12:00:00Z","data":{"id":"p1"}}`
	id := "msg_" + strconv.FormatInt(time.Now().UnixNano(), 36)
	post := func(path string, h map[string]string) int {
		req, _ := http.NewRequest(http.MethodPost, in.url+path, strings.NewReader(body))
		for k, v := range h {
			req.Header.Set(k, v)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	signed := func(secret string, at time.Time) map[string]string {
		return map[string]string{"webhook-id": id, "webhook-timestamp": strconv.FormatInt(at.Unix(), 10),
			"webhook-signature": signWebhook(secret, id, at, []byte(body))}
	}
	now := time.Now()
	for _, c := range []struct {
		name   string
		path   string
		header map[string]string
		want   int
	}{
		{"no signature", WebhookPath, nil, http.StatusUnauthorized},
		{"wrong secret", WebhookPath, signed("polar_whs_not_the_secret_at_all", now), http.StatusUnauthorized},
		{"six minutes old", WebhookPath, signed(testWebhookSecret, now.Add(-6*time.Minute)), http.StatusUnauthorized},
		{"no such connection", "/c/conn_0000000000000000/webhooks/polar", signed(testWebhookSecret, now), http.StatusNotFound},
		{"signed", WebhookPath, signed(testWebhookSecret, now), http.StatusAccepted},
		{"delivered again", WebhookPath, signed(testWebhookSecret, now), http.StatusNoContent},
	} {
		if got := post(c.path, c.header); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
	if res, err := http.Get(in.url + WebhookPath); err != nil || res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %v %v", res, err)
	}
}
