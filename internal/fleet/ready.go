package fleet

import (
	"context"
	"time"
)

// ReadyDetails is the fleet's part of /readyz: whether the rate budget
// and invalidations are shared and, with full (the admin key, the metrics
// listener), when webhooks last arrived for each connection and
// organization served. The public answer names no connection and no
// organization.
func (f *Fleet) ReadyDetails(_ context.Context, full bool) map[string]any {
	budget, invalidations := "this instance", "this instance"
	switch {
	case f.Degraded():
		budget = "redis unreachable: local share"
		invalidations = "redis unreachable: applied on this instance only; billing answers kept at most 5s"
	case f.Shared():
		budget, invalidations = "shared through redis", "shared through redis"
	}
	out := map[string]any{"rate_budget": budget, "invalidations": invalidations}
	if !full {
		return out
	}
	type hook struct {
		Connection   string     `json:"connection,omitempty"`
		Organization string     `json:"organization,omitempty"`
		LastReceived *time.Time `json:"last_received,omitempty"`
		BillingTTL   string     `json:"billing_ttl_cap"`
	}
	var hooks []hook
	for _, s := range f.Served() {
		h := hook{Connection: s.Connection, Organization: s.Org, BillingTTL: "5s"}
		if t, ok := f.LastWebhook(s.Org); ok {
			h.LastReceived = &t
		}
		if s.Secret && f.Fresh(s.Org) {
			h.BillingTTL = "1h"
		}
		hooks = append(hooks, h)
	}
	out["webhooks"] = hooks
	return out
}
