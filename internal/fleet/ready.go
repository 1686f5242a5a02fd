package fleet

import (
	"context"
	"time"
)

// ReadyDetails is the fleet's part of /readyz: whether the rate budget is
// shared, and when webhooks last arrived for each organization served.
func (f *Fleet) ReadyDetails(context.Context) any {
	budget := "this instance"
	switch {
	case f.Degraded():
		budget = "redis unreachable: local share"
	case f.Shared():
		budget = "shared through redis"
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
	return map[string]any{"rate_budget": budget, "webhooks": hooks}
}
