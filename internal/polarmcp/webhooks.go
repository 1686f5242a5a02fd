package polarmcp

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/observe"
	"github.com/polar-mcp/polar-mcp/internal/webhooks"
)

// Webhook paths: the single merchant's, and each connection's.
const (
	WebhookPath           = "/webhooks/polar"
	ConnectionWebhookPath = "/c/{id}/webhooks/polar"
)

// webhookLookupTimeout bounds reading a connection's webhook secret.
const webhookLookupTimeout = 5 * time.Second

// newWebhooks returns the handler of both webhook paths: the single
// merchant's secret is POLAR_MCP_WEBHOOK_SECRET, a connection's is in the
// store (nil without one). Accepted events are published to every
// instance (Fleet.Publish); a connection's delivery time is recorded.
func (e *Endpoint) newWebhooks(secret string, log *slog.Logger) (*webhooks.Handler, error) {
	return webhooks.NewHandler(webhooks.HandlerConfig{
		Endpoint: func(r *http.Request) (webhooks.Endpoint, bool) {
			id := r.PathValue("id")
			if id == "" {
				if secret == "" || e.merchant == nil {
					return webhooks.Endpoint{}, false
				}
				return webhooks.Endpoint{Org: e.merchant.Org(), Secret: secret}, true
			}
			return e.connectionWebhook(r.Context(), id)
		},
		Process: func(ctx context.Context, ev webhooks.Event) {
			e.fleet.Publish(ctx, ev)
			if ev.Connection != "" && e.store != nil {
				if err := e.store.RecordWebhook(ctx, ev.Connection, time.Now()); err != nil {
					log.Warn("webhooks: delivery time not recorded", slog.String("connection", ev.Connection),
						slog.String("error", err.Error()))
				}
			}
		},
		Dedupe:  e.fleet.Dedupe(),
		Logger:  log,
		Outcome: webhookOutcome(e.tel),
	})
}

// connectionWebhook is the webhook endpoint of connection id, if it is
// enabled and has a webhook secret.
func (e *Endpoint) connectionWebhook(ctx context.Context, id string) (webhooks.Endpoint, bool) {
	if e.store == nil {
		return webhooks.Endpoint{}, false
	}
	ctx, cancel := context.WithTimeout(ctx, webhookLookupTimeout)
	defer cancel()
	c, err := e.store.Get(ctx, id)
	if err != nil || c.Disabled() {
		return webhooks.Endpoint{}, false
	}
	secret, ok, err := e.store.WebhookSecret(ctx, id)
	if err != nil || !ok {
		return webhooks.Endpoint{}, false
	}
	return webhooks.Endpoint{Org: c.Organization.ID, Connection: id, Secret: secret.Reveal()}, true
}

// readyDetails is /readyz's details: the fleet's (fleet.ReadyDetails),
// and whether the single merchant's organization is still unknown.
func (e *Endpoint) readyDetails(ctx context.Context, full bool) any {
	out := e.fleet.ReadyDetails(ctx, full)
	if e.orgUnknown() {
		out["organization"] = "unknown: its webhooks reach this server's own cache only, billing answers kept at most 5s"
		if e.fleet.Shared() && !e.fleet.Degraded() {
			out["rate_budget"] = "shared through redis by replicas with the same token (organization unknown)"
		}
	}
	return out
}

// storeError counts a connection store failure (not an unknown or
// disabled connection, which is the caller's problem).
func storeError(t *observe.Telemetry, operation string, err error) {
	var ae *identity.Error
	if t == nil || err == nil || errors.As(err, &ae) {
		return
	}
	t.Observer.Metrics().StoreErrors.Inc(operation)
}

// webhookOutcome counts a webhook delivery by how it was answered
// (polarmcp_webhook_deliveries_total{outcome}).
func webhookOutcome(t *observe.Telemetry) func(string) {
	return func(outcome string) {
		if t != nil {
			t.Observer.Metrics().Webhooks.Inc(outcome)
		}
	}
}
