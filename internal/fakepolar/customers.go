package fakepolar

import (
	"net/http"
	"strings"
)

// GET /v1/customers/
func (s *Server) listCustomers(w http.ResponseWriter, r *http.Request, _ string) {
	p := newParams(r.URL.Query())
	orgs := p.uuids("organization_id")
	email, hasEmail := p.str("email"), p.q.Has("email")
	query := strings.ToLower(p.str("query"))
	active := p.boolean("active")
	sorting := p.sorting([]string{"created_at", "email", "name"}, "-created_at")
	page, limit := p.page()
	if p.errs != nil {
		writeValidation(w, p.errs)
		return
	}
	items := filterList(s.data.customers, func(c object) bool {
		if !inSet(orgs, str(c, "organization_id")) {
			return false
		}
		// Polar compares emails case-insensitively: lower(email) = lower(:email).
		if hasEmail && !strings.EqualFold(str(c, "email"), email) {
			return false
		}
		if query != "" && !strings.Contains(strings.ToLower(str(c, "name")), query) &&
			!strings.Contains(strings.ToLower(str(c, "email")), query) &&
			!strings.Contains(strings.ToLower(str(c, "external_id")), query) {
			return false
		}
		return matchesBool(active, s.isActiveCustomer(str(c, "id")))
	})
	sortList(items, sorting, map[string]sortKey{
		"created_at": byTime("created_at"),
		"email":      byString("email"),
		"name":       byString("name"),
	})
	writePage(w, items, page, limit)
}

// isActiveCustomer reports whether the customer has a trialing, active or
// past_due subscription, Polar's definition for the `active` filter.
func (s *Server) isActiveCustomer(id string) bool {
	for _, sub := range s.data.subscriptions {
		if str(sub, "customer_id") == id {
			switch str(sub, "status") {
			case "trialing", "active", "past_due":
				return true
			}
		}
	}
	return false
}

// GET /v1/customers/{id}
func (s *Server) getCustomer(w http.ResponseWriter, _ *http.Request, id string) {
	c, ok := s.customerByPathID(w, id)
	if ok {
		writeJSON(w, http.StatusOK, c)
	}
}

// GET /v1/customers/{id}/state
func (s *Server) getCustomerState(w http.ResponseWriter, _ *http.Request, id string) {
	c, ok := s.customerByPathID(w, id)
	if ok {
		writeJSON(w, http.StatusOK, s.customerState(c))
	}
}

// customerByPathID validates a path UUID and finds the customer, answering
// 422 or 404 itself when it cannot.
func (s *Server) customerByPathID(w http.ResponseWriter, id string) (object, bool) {
	canon, verr := parseUUID4(id, []any{"path", "id"})
	if verr != nil {
		writeValidation(w, []validationError{*verr})
		return nil, false
	}
	c := s.data.customer(canon)
	if c == nil {
		writeNotFound(w)
		return nil, false
	}
	return c, true
}
