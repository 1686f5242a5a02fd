package webhooks

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// Endpoint is what a delivery's URL stands for.
type Endpoint struct {
	Org        string // Polar organization id
	Connection string // the connection it feeds
	Secret     string // its webhook secret
}

// HandlerConfig configures NewHandler.
type HandlerConfig struct {
	// Endpoint finds the endpoint of a request; false answers 404.
	Endpoint func(r *http.Request) (Endpoint, bool)
	// Process handles one event, off the request; it must not block long.
	Process func(ctx context.Context, ev Event)
	// Dedupe claims delivery ids; a MemoryDedupe when nil. Pass a
	// RedisDedupe so that one instance of the fleet processes each.
	Dedupe Deduper
	// Queue bounds the events waiting for Process; zero means 256. When
	// it is full the delivery is answered 503 and Polar retries it.
	Queue int
	// Logger never gets bodies nor secrets; slog.Default() when nil.
	Logger *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Outcome, when set, is told how each delivery was answered: one of
	// the Outcome* constants (metrics count them).
	Outcome func(outcome string)
}

// How a delivery was answered (HandlerConfig.Outcome).
const (
	OutcomeAccepted  = "accepted"  // verified, queued for processing (202)
	OutcomeDuplicate = "duplicate" // a webhook-id seen before (204)
	OutcomeRefused   = "refused"   // missing or bad signature, or a stale timestamp (401)
	OutcomeInvalid   = "invalid"   // not a Polar event, unreadable or too large (400, 413)
	OutcomeUnknown   = "unknown"   // no such endpoint, or not a POST (404, 405)
	OutcomeBusy      = "busy"      // the queue or the dedupe store could not take it (503)
)

// Handler is the http.Handler of Polar's webhooks.
type Handler struct {
	cfg   HandlerConfig
	queue chan Event

	mu   sync.Mutex
	last map[string]time.Time
}

// NewHandler returns a Handler; call Run to process what it accepts.
func NewHandler(cfg HandlerConfig) (*Handler, error) {
	if cfg.Endpoint == nil || cfg.Process == nil {
		return nil, errors.New("webhooks: HandlerConfig needs Endpoint and Process")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Dedupe == nil {
		cfg.Dedupe = NewMemoryDedupe(0, cfg.Now)
	}
	if cfg.Queue <= 0 {
		cfg.Queue = 256
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Handler{cfg: cfg, queue: make(chan Event, cfg.Queue), last: map[string]time.Time{}}, nil
}

// Run processes accepted events until ctx is done.
func (h *Handler) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-h.queue:
			h.cfg.Process(ctx, ev)
		}
	}
}

// LastReceived returns when a verified delivery last came for a
// connection (its Endpoint.Connection, or its Org when that is empty).
func (h *Handler) LastReceived(connection string) (time.Time, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	t, ok := h.last[connection]
	return t, ok
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.cfg.Outcome != nil {
		rec := &outcomeRecorder{ResponseWriter: w}
		defer func() { h.cfg.Outcome(rec.outcome()) }()
		w = rec
	}
	h.serve(w, r)
}

func (h *Handler) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "webhooks are POSTed", http.StatusMethodNotAllowed)
		return
	}
	ep, ok := h.cfg.Endpoint(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	v := Verifier{Secret: ep.Secret, Now: h.cfg.Now}
	if err := v.CheckHeaders(r.Header); err != nil {
		// No credential: refused before the body is read.
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	if r.ContentLength > MaxBody {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		http.Error(w, "body too large or unreadable", http.StatusRequestEntityTooLarge)
		return
	}
	id, err := v.Verify(r.Header, body)
	if err != nil {
		h.cfg.Logger.Warn("webhooks: delivery refused", "connection", ep.Connection, "reason", err.Error())
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	ev := Event{ID: id, Org: ep.Org, Connection: ep.Connection}
	if err := json.Unmarshal(body, &ev); err != nil || ev.Type == "" {
		http.Error(w, "webhook: body is not a Polar event", http.StatusBadRequest)
		return
	}
	key := ep.Connection
	if key == "" {
		key = ep.Org
	}
	h.mu.Lock()
	h.last[key] = h.cfg.Now()
	h.mu.Unlock()
	claim := dedupeKey(ep, id)
	first, err := h.cfg.Dedupe.Claim(r.Context(), claim)
	if err != nil {
		// Duplicates cannot be checked (Redis away): the delivery is
		// processed here anyway (dropping cached answers twice does no
		// harm, keeping them stale does), and answered 503 so that Polar
		// delivers it again for the instances it could not reach.
		select {
		case h.queue <- ev:
		default:
		}
		http.Error(w, "webhook: cannot check for duplicates now; applied here, retry later", http.StatusServiceUnavailable)
		return
	}
	if !first {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	select {
	case h.queue <- ev:
		w.WriteHeader(http.StatusAccepted)
	default:
		h.cfg.Dedupe.Unclaim(context.WithoutCancel(r.Context()), claim)
		http.Error(w, "webhook: busy, retry later", http.StatusServiceUnavailable)
	}
}

// dedupeKey is what a delivery is deduplicated by: its id within its
// endpoint. Polar's delivery ids are unique per webhook endpoint, and a
// delivery to one connection's endpoint says nothing of another's.
func dedupeKey(ep Endpoint, id string) string {
	if ep.Connection == "" {
		return "merchant:" + id // the single merchant's /webhooks/polar
	}
	return "c/" + ep.Connection + ":" + id
}

// outcomeRecorder remembers the status a delivery was answered with.
type outcomeRecorder struct {
	http.ResponseWriter
	status int
}

func (o *outcomeRecorder) WriteHeader(code int) {
	if o.status == 0 {
		o.status = code
	}
	o.ResponseWriter.WriteHeader(code)
}

func (o *outcomeRecorder) Write(b []byte) (int, error) {
	if o.status == 0 {
		o.status = http.StatusOK
	}
	return o.ResponseWriter.Write(b)
}

// outcome names the answer's status.
func (o *outcomeRecorder) outcome() string {
	switch o.status {
	case http.StatusAccepted:
		return OutcomeAccepted
	case http.StatusNoContent:
		return OutcomeDuplicate
	case http.StatusUnauthorized:
		return OutcomeRefused
	case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		return OutcomeInvalid
	case http.StatusNotFound, http.StatusMethodNotAllowed:
		return OutcomeUnknown
	default:
		return OutcomeBusy
	}
}
