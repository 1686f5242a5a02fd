package fakepolar

import "maps"

// customerState computes GET /v1/customers/{id}/state as Polar does: the
// customer, its active and trialing subscriptions (paused, past_due and
// canceled ones are left out), its granted, non-revoked benefits and its
// customer meters.
func (s *Server) customerState(c object) object {
	// The fields of a Subscription (and of its meters) that a
	// CustomerStateSubscription (CustomerStateSubscriptionMeter) keeps.
	subFields := []string{
		"id", "created_at", "modified_at", "custom_field_data", "metadata", "status", "amount", "currency",
		"recurring_interval", "current_period_start", "current_period_end", "trial_start", "trial_end",
		"cancel_at_period_end", "canceled_at", "started_at", "ends_at", "product_id", "discount_id",
	}
	meterFields := []string{"created_at", "modified_at", "id", "consumed_units", "credited_units", "amount", "meter_id"}

	id := str(c, "id")
	state := maps.Clone(c)

	subs := []object{}
	for _, sub := range s.data.subscriptions {
		if str(sub, "customer_id") != id {
			continue
		}
		if st := str(sub, "status"); st != "active" && st != "trialing" {
			continue
		}
		out := pick(sub, subFields)
		meters := []object{}
		if ms, ok := sub["meters"].([]any); ok {
			for _, m := range ms {
				if mo, ok := m.(map[string]any); ok {
					meters = append(meters, pick(mo, meterFields))
				}
			}
		}
		out["meters"] = meters
		subs = append(subs, out)
	}

	grants := []object{}
	for _, g := range s.data.grants {
		if str(g, "customer_id") != id || !boolean(g, "is_granted") || boolean(g, "is_revoked") {
			continue
		}
		benefit := nested(g, "benefit")
		metadata := nested(benefit, "metadata")
		if metadata == nil {
			metadata = object{}
		}
		grants = append(grants, object{
			"id":               g["id"],
			"created_at":       g["created_at"],
			"modified_at":      g["modified_at"],
			"granted_at":       g["granted_at"],
			"benefit_id":       g["benefit_id"],
			"benefit_type":     benefit["type"],
			"benefit_metadata": metadata,
			"properties":       g["properties"],
		})
	}

	state["active_subscriptions"] = subs
	state["granted_benefits"] = grants
	state["active_meters"] = s.activeMeters(id)
	return state
}

// pick copies the listed keys of o that are present.
func pick(o object, keys []string) object {
	out := make(object, len(keys))
	for _, k := range keys {
		if v, ok := o[k]; ok {
			out[k] = v
		}
	}
	return out
}
