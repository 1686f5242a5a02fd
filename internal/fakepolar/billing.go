package fakepolar

import (
	"net/http"
	"time"
)

// subscriptionStatuses is Polar's SubscriptionStatus enum.
func subscriptionStatuses() []string {
	return []string{"incomplete", "incomplete_expired", "trialing", "active", "past_due", "canceled", "unpaid", "paused"}
}

// GET /v1/subscriptions/
func (s *Server) listSubscriptions(w http.ResponseWriter, r *http.Request, _ string) {
	p := newParams(r.URL.Query())
	orgs := p.uuids("organization_id")
	products := p.uuids("product_id")
	customers := p.uuids("customer_id")
	externals := p.strs("external_customer_id")
	discounts := p.uuids("discount_id")
	active := p.boolean("active")
	statuses := p.enums("status", subscriptionStatuses())
	cancelAtEnd := p.boolean("cancel_at_period_end")
	sorting := p.sorting([]string{"customer", "status", "started_at", "current_period_end", "ended_at", "ends_at",
		"amount", "product", "discount"}, "-started_at")
	page, limit := p.page()
	if p.errs != nil {
		writeValidation(w, p.errs)
		return
	}
	items := filterList(s.data.subscriptions, func(sub object) bool {
		status := str(sub, "status")
		return inSet(orgs, str(nested(sub, "product"), "organization_id")) &&
			inSet(products, str(sub, "product_id")) &&
			inSet(customers, str(sub, "customer_id")) &&
			(externals == nil || containsExact(externals, str(nested(sub, "customer"), "external_id"))) &&
			inSet(discounts, str(sub, "discount_id")) &&
			(statuses == nil || contains(statuses, status)) &&
			matchesBool(active, status == "active" || status == "trialing") &&
			matchesBool(cancelAtEnd, boolean(sub, "cancel_at_period_end"))
	})
	sortList(items, sorting, map[string]sortKey{
		"customer":           byNested("customer", "email"),
		"status":             byString("status"),
		"started_at":         byTime("started_at"),
		"current_period_end": byTime("current_period_end"),
		"ended_at":           byTime("ended_at"),
		"ends_at":            byTime("ends_at"),
		"amount":             byNumber("amount"),
		"product":            byNested("product", "name"),
		"discount":           byString("discount_id"),
	})
	writePage(w, items, page, limit)
}

// orderStatuses is Polar's OrderStatus enum.
func orderStatuses() []string {
	return []string{"draft", "pending", "paid", "refunded", "partially_refunded", "void"}
}

// GET /v1/orders/
func (s *Server) listOrders(w http.ResponseWriter, r *http.Request, _ string) {
	p := newParams(r.URL.Query())
	orgs := p.uuids("organization_id")
	products := p.uuids("product_id")
	billingTypes := p.enums("product_billing_type", []string{"one_time", "recurring"})
	discounts := p.uuids("discount_id")
	customers := p.uuids("customer_id")
	externals := p.strs("external_customer_id")
	checkouts := p.uuids("checkout_id")
	subscriptions := p.uuids("subscription_id")
	statuses := p.enums("status", orderStatuses())
	after := p.dateTime("created_after")
	before := p.dateTime("created_before")
	sorting := p.sorting([]string{"created_at", "status", "invoice_number", "amount", "net_amount", "customer",
		"product", "discount", "subscription"}, "-created_at")
	page, limit := p.page()
	if p.errs != nil {
		writeValidation(w, p.errs)
		return
	}
	items := filterList(s.data.orders, func(o object) bool {
		created, _ := timestamp(o, "created_at")
		billing := "one_time"
		if str(o, "subscription_id") != "" {
			billing = "recurring"
		}
		return inSet(orgs, str(nested(o, "customer"), "organization_id")) &&
			inSet(products, str(o, "product_id")) &&
			(billingTypes == nil || contains(billingTypes, billing)) &&
			inSet(discounts, str(o, "discount_id")) &&
			inSet(customers, str(o, "customer_id")) &&
			(externals == nil || containsExact(externals, str(nested(o, "customer"), "external_id"))) &&
			inSet(checkouts, str(o, "checkout_id")) &&
			inSet(subscriptions, str(o, "subscription_id")) &&
			(statuses == nil || contains(statuses, str(o, "status"))) &&
			(after == nil || !created.Before(*after)) &&
			(before == nil || !created.After(*before))
	})
	sortList(items, sorting, map[string]sortKey{
		"created_at":     byTime("created_at"),
		"status":         byString("status"),
		"invoice_number": byString("invoice_number"),
		"amount":         byNumber("total_amount"),
		"net_amount":     byNumber("net_amount"),
		"customer":       byNested("customer", "email"),
		"product":        byNested("product", "name"),
		"discount":       byString("discount_id"),
		"subscription":   byString("subscription_id"),
	})
	writePage(w, items, page, limit)
}

// dateTime returns an optional RFC 3339 date-time parameter.
func (p *params) dateTime(name string) *time.Time {
	if !p.q.Has(name) {
		return nil
	}
	v := p.q.Get(name)
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		p.fail(validationError{Loc: []any{"query", name}, Type: "datetime_from_date_parsing", Input: v,
			Msg: "Input should be a valid datetime or date, invalid character in year"})
		return nil
	}
	return &t
}

// containsExact reports whether v (non-empty) is one of list.
func containsExact(list []string, v string) bool { return v != "" && contains(list, v) }
