package fakepolar

import (
	"crypto/sha256"
	"fmt"
	"time"
)

// AddCustomers grows the organization by n individual customers for
// benchmarks of large organizations, without sending webhooks:
// customer-<i>@<domain> (i from 1), named "Customer <i>", each with an
// active subscription started now to one of the organization's recurring
// products with fixed prices only that are not archived, in turn. Ids are derived from domain
// and i, so two fakes grown alike hold the same customers and
// subscriptions. It returns the new customers' emails, in order.
func (s *Server) AddCustomers(domain string, n int) ([]string, error) {
	emails := make([]string, 0, n)
	err := s.mutation(func(now time.Time, _ func(string, object)) error {
		var plans []object
		for _, p := range s.data.products {
			if boolean(p, "is_recurring") && !boolean(p, "is_archived") && fixedPrices(p) {
				plans = append(plans, p)
			}
		}
		if len(plans) == 0 {
			return fmt.Errorf("%w: the organization has no recurring product to subscribe to", ErrInvalid)
		}
		ts := now.Format(time.RFC3339Nano)
		for i := 1; i <= n; i++ {
			email := fmt.Sprintf("customer-%d@%s", i, domain)
			c := object{
				"id": derivedUUID4(domain, "customer", i), "created_at": ts, "modified_at": nil,
				"metadata": object{}, "external_id": nil, "email": email, "email_verified": true,
				"type": "individual", "name": fmt.Sprintf("Customer %d", i), "billing_name": nil,
				"billing_address": nil, "tax_id": nil, "locale": nil, "organization_id": s.data.orgID,
				"default_payment_method_id": nil, "deleted_at": nil, "first_user_event_at": nil, "avatar_url": nil,
			}
			if err := s.data.checkCustomerUnique(c, -1); err != nil {
				return err
			}
			s.data.customers = append(s.data.customers, c)
			sub := newSubscription(plans[(i-1)%len(plans)], now)
			sub["id"], sub["customer_id"] = derivedUUID4(domain, "subscription", i), str(c, "id")
			sub["product_id"] = str(plans[(i-1)%len(plans)], "id")
			sub, err := s.data.embedForSubscription(sub)
			if err != nil {
				return err
			}
			s.data.subscriptions = append(s.data.subscriptions, sub)
			emails = append(emails, email)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return emails, nil
}

// derivedUUID4 is a version 4 UUID made from seed, kind and i.
func derivedUUID4(seed, kind string, i int) string {
	b := sha256.Sum256(fmt.Appendf(nil, "%s\x00%s\x00%d", seed, kind, i))
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// fixedPrices reports whether every price of product is a fixed one.
func fixedPrices(product object) bool {
	prices, _ := product["prices"].([]any)
	for _, p := range prices {
		if pr, _ := p.(map[string]any); pr == nil || str(pr, "amount_type") != "fixed" {
			return false
		}
	}
	return len(prices) > 0
}
