package fakepolar

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Doer sends an HTTP request; *http.Client is one.
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// Webhook configures the events the fake sends, as Polar does, signed
// per the Standard Webhooks specification. The zero value sends none.
type Webhook struct {
	// URL receives a POST per event. Empty disables webhooks.
	URL string
	// Secret is the endpoint's signing secret; its UTF-8 bytes are the
	// HMAC-SHA256 key. It is never logged or recorded.
	Secret string
	// Client sends the requests. Nil means a client with a 5s timeout.
	Client Doer
	// Attempts is how many times an event is tried before giving up
	// (any non-2xx answer or transport error is retried). Zero means 3.
	Attempts int
	// RetryDelay is the wait before the n-th retry, times n. Zero means
	// 100ms.
	RetryDelay time.Duration
}

// WebhookDelivery is the outcome of one event, once sent or given up.
type WebhookDelivery struct {
	ID        string    // webhook-id header
	Type      string    // event type, e.g. "customer.updated"
	Timestamp time.Time // webhook-timestamp (unix seconds)
	Body      []byte    // the signed JSON payload
	Attempts  int
	Status    int    // HTTP status of the last attempt, 0 when none was received
	Err       string // last transport error, if any
	Delivered bool   // a 2xx was received
}

// SignWebhook returns the webhook-signature header value for a message:
// "v1," and the base64 HMAC-SHA256 of "id.timestamp.body" keyed with the
// secret's UTF-8 bytes.
func SignWebhook(secret, id string, ts time.Time, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "%s.%d.", id, ts.Unix())
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// pendingEvent is an encoded event waiting to be sent.
type pendingEvent struct {
	id, typ string
	ts      time.Time
	body    []byte
}

// webhooks queues and sends events one at a time, in mutation order. A
// sender goroutine runs only while the queue is not empty.
type webhooks struct {
	cfg Webhook

	mu        sync.Mutex
	queue     []pendingEvent
	running   bool
	done      []WebhookDelivery
	changed   chan struct{} // closed and replaced when done grows
	sequence  int
	initStamp string
}

func newWebhooks(cfg Webhook) *webhooks {
	if cfg.URL == "" {
		return nil
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 5 * time.Second}
	}
	if cfg.Attempts <= 0 {
		cfg.Attempts = 3
	}
	if cfg.RetryDelay <= 0 {
		cfg.RetryDelay = 100 * time.Millisecond
	}
	return &webhooks{cfg: cfg, changed: make(chan struct{}), initStamp: randomToken(8)}
}

// encode builds the payload {"type", "timestamp", "data"} of an event.
func (h *webhooks) encode(typ string, now time.Time, data object) pendingEvent {
	body, _ := json.Marshal(map[string]any{"type": typ, "timestamp": now.Format(time.RFC3339Nano), "data": data})
	h.mu.Lock()
	h.sequence++
	id := "msg_" + h.initStamp + strconv.Itoa(h.sequence)
	h.mu.Unlock()
	return pendingEvent{id: id, typ: typ, ts: now, body: body}
}

func (h *webhooks) enqueue(events []pendingEvent) {
	if len(events) == 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.queue = append(h.queue, events...)
	if !h.running {
		h.running = true
		go h.drain()
	}
}

func (h *webhooks) drain() {
	for {
		h.mu.Lock()
		if len(h.queue) == 0 {
			h.running = false
			h.mu.Unlock()
			return
		}
		ev := h.queue[0]
		h.queue = h.queue[1:]
		h.mu.Unlock()

		d := h.deliver(ev)
		h.mu.Lock()
		h.done = append(h.done, d)
		close(h.changed)
		h.changed = make(chan struct{})
		h.mu.Unlock()
	}
}

// deliver sends ev with up to cfg.Attempts tries.
func (h *webhooks) deliver(ev pendingEvent) WebhookDelivery {
	d := WebhookDelivery{ID: ev.id, Type: ev.typ, Timestamp: time.Unix(ev.ts.Unix(), 0).UTC(), Body: ev.body}
	for d.Attempts < h.cfg.Attempts {
		if d.Attempts > 0 {
			time.Sleep(time.Duration(d.Attempts) * h.cfg.RetryDelay)
		}
		d.Attempts++
		d.Status, d.Err = h.post(ev)
		if d.Status >= 200 && d.Status < 300 {
			d.Delivered = true
			break
		}
	}
	return d
}

func (h *webhooks) post(ev pendingEvent) (int, string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.cfg.URL, bytes.NewReader(ev.body))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("webhook-id", ev.id)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(ev.ts.Unix(), 10))
	req.Header.Set("webhook-signature", SignWebhook(h.cfg.Secret, ev.id, ev.ts, ev.body))
	resp, err := h.cfg.Client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	_ = resp.Body.Close()
	return resp.StatusCode, ""
}

// WebhookDeliveries returns the events sent or given up so far, oldest
// first (nil when Options.Webhook is off).
func (s *Server) WebhookDeliveries() []WebhookDelivery {
	if s.hooks == nil {
		return nil
	}
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	return append([]WebhookDelivery(nil), s.hooks.done...)
}

// WaitWebhookDeliveries waits until at least n events were sent or given
// up, or ctx ends, and returns the deliveries so far.
func (s *Server) WaitWebhookDeliveries(ctx context.Context, n int) ([]WebhookDelivery, error) {
	if s.hooks == nil {
		return nil, fmt.Errorf("fakepolar: webhooks are off (Options.Webhook.URL is empty)")
	}
	for {
		s.hooks.mu.Lock()
		done, changed := append([]WebhookDelivery(nil), s.hooks.done...), s.hooks.changed
		s.hooks.mu.Unlock()
		if len(done) >= n {
			return done, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return done, fmt.Errorf("fakepolar: %d of %d webhook deliveries: %w", len(done), n, ctx.Err())
		}
	}
}
