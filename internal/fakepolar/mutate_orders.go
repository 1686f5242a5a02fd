package fakepolar

import (
	"fmt"
	"time"
)

// UpdateOrder applies patch to the order with id: status, paid,
// refunded_amount, refunded_tax_amount, next_payment_attempt_at, metadata.
// Sends order.updated, plus order.paid when it becomes paid and
// order.refunded when it becomes (partially) refunded. It returns a copy
// of the updated order.
func (s *Server) UpdateOrder(id string, patch map[string]any) (map[string]any, error) {
	p, err := normalize(patch)
	if err != nil {
		return nil, err
	}
	fields := map[string]check{
		"status":                  oneOf(orderStatuses()...),
		"paid":                    isBool,
		"refunded_amount":         nonNegativeInt,
		"refunded_tax_amount":     nonNegativeInt,
		"next_payment_attempt_at": nullable(dateTime),
		"metadata":                metadataValue,
	}
	if err := checkFields("order", p, fields); err != nil {
		return nil, err
	}
	var out object
	err = s.mutation(func(now time.Time, emit func(string, object)) error {
		i := indexByID(s.data.orders, id)
		if i < 0 {
			return fmt.Errorf("%w: order %s", ErrNotFound, id)
		}
		old := s.data.orders[i]
		o := merge(old, p, now)
		s.data.orders[i] = o
		emit("order.updated", o)
		was, is := str(old, "status"), str(o, "status")
		if was != is && is == "paid" {
			emit("order.paid", o)
		}
		if was != is && (is == "refunded" || is == "partially_refunded") {
			emit("order.refunded", o)
		}
		out = deepCopy(o)
		return nil
	})
	return out, err
}

// UpdateBenefitGrant applies patch to the benefit grant with id:
// is_granted, is_revoked, granted_at, revoked_at. Sends
// benefit_grant.updated, benefit_grant.revoked when it becomes revoked,
// and customer.state_changed. It returns a copy of the updated grant.
func (s *Server) UpdateBenefitGrant(id string, patch map[string]any) (map[string]any, error) {
	p, err := normalize(patch)
	if err != nil {
		return nil, err
	}
	fields := map[string]check{
		"is_granted": isBool,
		"is_revoked": isBool,
		"granted_at": nullable(dateTime),
		"revoked_at": nullable(dateTime),
	}
	if err := checkFields("benefit grant", p, fields); err != nil {
		return nil, err
	}
	var out object
	err = s.mutation(func(now time.Time, emit func(string, object)) error {
		i := indexByID(s.data.grants, id)
		if i < 0 {
			return fmt.Errorf("%w: benefit grant %s", ErrNotFound, id)
		}
		old := s.data.grants[i]
		g := merge(old, p, now)
		s.data.grants[i] = g
		emit("benefit_grant.updated", g)
		if !boolean(old, "is_revoked") && boolean(g, "is_revoked") {
			emit("benefit_grant.revoked", g)
		}
		s.emitState(emit, str(g, "customer_id"))
		out = deepCopy(g)
		return nil
	})
	return out, err
}
