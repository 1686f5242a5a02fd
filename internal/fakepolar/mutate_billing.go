package fakepolar

import (
	"fmt"
	"time"
)

// subscriptionFields are the Subscription fields a patch may set.
func subscriptionFields() map[string]check {
	times := []string{"current_period_start", "current_period_end"}
	nullTimes := []string{"canceled_at", "started_at", "ends_at", "ended_at", "trial_start", "trial_end",
		"past_due_at", "paused_at", "resumes_at", "current_meter_period_start", "current_meter_period_end"}
	f := map[string]check{
		"status":                        oneOf(subscriptionStatuses()...),
		"cancel_at_period_end":          isBool,
		"pause_at_period_end":           isBool,
		"amount":                        nonNegativeInt,
		"currency":                      nonEmptyString,
		"recurring_interval":            oneOf("day", "week", "month", "year"),
		"seats":                         nullable(nonNegativeInt),
		"customer_cancellation_reason":  nullable(oneOf(cancellationReasons()...)),
		"customer_cancellation_comment": nullableString,
		"metadata":                      metadataValue,
		"product_id":                    uuid4,
		"customer_id":                   uuid4,
	}
	for _, k := range times {
		f[k] = dateTime
	}
	for _, k := range nullTimes {
		f[k] = nullable(dateTime)
	}
	return f
}

// cancellationReasons is Polar's CustomerCancellationReason enum.
func cancellationReasons() []string {
	return []string{"customer_service", "low_quality", "missing_features", "switched_service", "too_complex",
		"too_expensive", "unused", "other"}
}

// UpdateSubscription applies patch to the subscription with id. Changing
// product_id embeds that product and its prices; changing customer_id
// embeds that customer. Orders' embedded copies of the subscription
// follow. Sends subscription.updated, the lifecycle events the change
// implies (subscription.canceled, .uncanceled, .active, .past_due,
// .paused, .resumed, .revoked) and customer.state_changed. It returns a
// copy of the updated subscription.
func (s *Server) UpdateSubscription(id string, patch map[string]any) (map[string]any, error) {
	p, err := normalize(patch)
	if err != nil {
		return nil, err
	}
	if err := checkFields("subscription", p, subscriptionFields()); err != nil {
		return nil, err
	}
	var out object
	err = s.mutation(func(now time.Time, emit func(string, object)) error {
		i := indexByID(s.data.subscriptions, id)
		if i < 0 {
			return fmt.Errorf("%w: subscription %s", ErrNotFound, id)
		}
		old := s.data.subscriptions[i]
		sub, err := s.data.embedForSubscription(merge(old, p, now))
		if err != nil {
			return err
		}
		s.data.subscriptions[i] = sub
		for j, o := range s.data.orders {
			if str(o, "subscription_id") == str(sub, "id") && nested(o, "subscription") != nil {
				s.data.orders[j] = withField(o, "subscription", refreshed(nested(o, "subscription"), sub))
			}
		}
		emit("subscription.updated", sub)
		for _, typ := range lifecycleEvents(old, sub) {
			emit(typ, sub)
		}
		s.emitState(emit, str(sub, "customer_id"))
		if prev := str(old, "customer_id"); prev != str(sub, "customer_id") {
			s.emitState(emit, prev)
		}
		out = deepCopy(sub)
		return nil
	})
	return out, err
}

// AddSubscription adds a subscription. obj needs customer_id and a
// recurring product_id; it may set the fields UpdateSubscription accepts
// and id. Unset fields default to an active subscription started now at
// the product's first price. Sends subscription.created (and
// subscription.active when active) and customer.state_changed.
func (s *Server) AddSubscription(obj map[string]any) (map[string]any, error) {
	p, err := normalize(obj)
	if err != nil {
		return nil, err
	}
	fields := subscriptionFields()
	fields["id"] = uuid4
	if err := checkFields("subscription", p, fields); err != nil {
		return nil, err
	}
	if p["customer_id"] == nil || p["product_id"] == nil {
		return nil, fmt.Errorf("%w: subscription.customer_id and subscription.product_id are required", ErrInvalid)
	}
	var out object
	err = s.mutation(func(now time.Time, emit func(string, object)) error {
		product := findByID(s.data.products, str(p, "product_id"))
		if product == nil || !boolean(product, "is_recurring") {
			return fmt.Errorf("%w: product %s is not a recurring product of the organization", ErrInvalid, str(p, "product_id"))
		}
		sub, err := s.data.embedForSubscription(merge(newSubscription(product, now), p, time.Time{}))
		if err != nil {
			return err
		}
		if indexByID(s.data.subscriptions, str(sub, "id")) >= 0 {
			return fmt.Errorf("%w: subscription id %s is taken", ErrInvalid, str(sub, "id"))
		}
		s.data.subscriptions = append(s.data.subscriptions, sub)
		emit("subscription.created", sub)
		if str(sub, "status") == "active" {
			emit("subscription.active", sub)
		}
		s.emitState(emit, str(sub, "customer_id"))
		out = deepCopy(sub)
		return nil
	})
	return out, err
}

// newSubscription is an active subscription to product started at now.
func newSubscription(product object, now time.Time) object {
	amount, currency := any(jsonInt(0)), any("usd")
	if prices, _ := product["prices"].([]any); len(prices) > 0 {
		if pr, ok := prices[0].(map[string]any); ok {
			if v, ok := pr["price_amount"]; ok {
				amount = v
			}
			if c := str(pr, "price_currency"); c != "" {
				currency = c
			}
		}
	}
	start := now.Format(time.RFC3339Nano)
	end := periodEnd(now, str(product, "recurring_interval"), int(number(product, "recurring_interval_count")))
	sub := object{
		"id": randomUUID4(), "created_at": start, "modified_at": nil, "amount": amount, "currency": currency,
		"recurring_interval": product["recurring_interval"], "recurring_interval_count": jsonInt(1),
		"status": "active", "current_period_start": start, "current_period_end": end.Format(time.RFC3339Nano),
		"cancel_at_period_end": false, "pause_at_period_end": false, "started_at": start,
		"metadata": object{}, "custom_field_data": object{}, "meters": []any{},
	}
	for _, k := range []string{"current_meter_period_start", "current_meter_period_end", "trial_start", "trial_end",
		"canceled_at", "ends_at", "ended_at", "past_due_at", "paused_at", "resumes_at", "discount_id", "checkout_id",
		"seats", "customer_cancellation_reason", "customer_cancellation_comment", "discount", "pending_update"} {
		sub[k] = nil
	}
	if n := product["recurring_interval_count"]; n != nil {
		sub["recurring_interval_count"] = n
	}
	return sub
}

// periodEnd adds count (at least 1) intervals to t.
func periodEnd(t time.Time, interval string, count int) time.Time {
	count = max(count, 1)
	switch interval {
	case "day":
		return t.AddDate(0, 0, count)
	case "week":
		return t.AddDate(0, 0, 7*count)
	case "year":
		return t.AddDate(count, 0, 0)
	}
	return t.AddDate(0, count, 0)
}

// embedForSubscription sets sub's embedded customer, product and prices
// from its customer_id and product_id, refusing unknown ones.
func (d *dataset) embedForSubscription(sub object) (object, error) {
	c := d.customer(str(sub, "customer_id"))
	if c == nil {
		return nil, fmt.Errorf("%w: customer %s does not exist", ErrInvalid, str(sub, "customer_id"))
	}
	product := findByID(d.products, str(sub, "product_id"))
	if product == nil {
		return nil, fmt.Errorf("%w: product %s does not exist", ErrInvalid, str(sub, "product_id"))
	}
	sub = withField(sub, "customer", refreshed(nested(sub, "customer"), c))
	if str(nested(sub, "product"), "id") != str(product, "id") {
		sub["product"] = product
		prices := []any{}
		for _, pr := range product["prices"].([]any) {
			if po, ok := pr.(map[string]any); ok && !boolean(po, "is_archived") {
				prices = append(prices, po)
			}
		}
		sub["prices"] = prices
	}
	return sub, nil
}

// lifecycleEvents are the subscription.* events (besides .updated) that
// the change from old to sub implies.
func lifecycleEvents(old, sub object) []string {
	var out []string
	was, is := str(old, "status"), str(sub, "status")
	wasCancel, isCancel := boolean(old, "cancel_at_period_end"), boolean(sub, "cancel_at_period_end")
	switch {
	case !wasCancel && isCancel, was != "canceled" && is == "canceled":
		out = append(out, "subscription.canceled")
	case wasCancel && !isCancel:
		out = append(out, "subscription.uncanceled")
	}
	if was != is {
		switch is {
		case "active":
			if was == "paused" {
				out = append(out, "subscription.resumed")
			}
			out = append(out, "subscription.active")
		case "past_due":
			out = append(out, "subscription.past_due")
		case "paused":
			out = append(out, "subscription.paused")
		case "canceled", "unpaid", "incomplete_expired":
			out = append(out, "subscription.revoked")
		}
	}
	return out
}

// emitState emits customer.state_changed for the customer with id.
func (s *Server) emitState(emit func(string, object), id string) {
	if c := s.data.customer(id); c != nil {
		emit("customer.state_changed", s.customerState(c))
	}
}
