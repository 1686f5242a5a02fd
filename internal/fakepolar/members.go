package fakepolar

import (
	"net/http"
	"strings"
)

// Polar's member model (organization feature `member_model_enabled`): every
// customer has members (owner, billing_manager, member); a team customer's
// seats (customer_seats.json) are held by its members.

const (
	scopeMembersRead       = "members:read"
	scopeMembersWrite      = "members:write"
	scopeCustomerSeatsRead = "customer_seats:read"
)

// memberRoutes are the member and seat operations.
func (s *Server) memberRoutes() []route {
	members := []string{scopeMembersRead, scopeMembersWrite}
	return []route{
		{http.MethodGet, "/v1/members/", members, s.listMembers},
		{http.MethodGet, "/v1/customers/{id}/members/{id}", members, s.getCustomerMember},
		{http.MethodGet, "/v1/customers/external/{id}/members/{id}", members, s.getCustomerMemberExternal},
		{http.MethodGet, "/v1/customer-seats", []string{scopeCustomerSeatsRead}, s.listCustomerSeats},
	}
}

// memberModel reports whether the organization has the member model on.
func (d *dataset) memberModel() bool {
	return boolean(nested(d.org, "feature_settings"), "member_model_enabled")
}

// GET /v1/members/
func (s *Server) listMembers(w http.ResponseWriter, r *http.Request, _ string) {
	p := newParams(r.URL.Query())
	customers := p.q["customer_id"]
	externals := p.strs("external_customer_id")
	roles := p.enums("role", []string{"owner", "billing_manager", "member"})
	sorting := p.sorting([]string{"created_at"}, "-created_at")
	page, limit := p.page()
	if p.errs != nil {
		writeValidation(w, p.errs)
		return
	}
	items := filterList(s.data.members, func(m object) bool {
		c := s.data.customer(str(m, "customer_id"))
		// customer_id is a plain string filter: an id of no customer
		// matches no member.
		return (customers == nil || contains(customers, strings.ToLower(str(m, "customer_id")))) &&
			(externals == nil || containsExact(externals, str(c, "external_id"))) &&
			(roles == nil || contains(roles, str(m, "role")))
	})
	sortList(items, sorting, map[string]sortKey{"created_at": byTime("created_at")})
	writePage(w, items, page, limit)
}

// splitIDs splits the "{id}/{id}" of a two-id route.
func splitIDs(ids string) (string, string) {
	a, b, _ := strings.Cut(ids, "/")
	return a, b
}

// GET /v1/customers/{id}/members/{member_id}
func (s *Server) getCustomerMember(w http.ResponseWriter, _ *http.Request, ids string) {
	cid, mid := splitIDs(ids)
	canonCustomer, verr := parseUUID4(cid, []any{"path", "id"})
	if verr != nil {
		writeValidation(w, []validationError{*verr})
		return
	}
	canonMember, verr := parseUUID(mid, []any{"path", "member_id"})
	if verr != nil {
		writeValidation(w, []validationError{*verr})
		return
	}
	for _, m := range s.data.members {
		if str(m, "customer_id") == canonCustomer && str(m, "id") == canonMember {
			writeJSON(w, http.StatusOK, m)
			return
		}
	}
	writeNotFound(w)
}

// GET /v1/customers/external/{external_id}/members/{member_external_id}
func (s *Server) getCustomerMemberExternal(w http.ResponseWriter, _ *http.Request, ids string) {
	ext, memberExt := splitIDs(ids)
	c := s.data.customerByExternal(ext)
	if c != nil {
		if m := s.data.memberByExternal(str(c, "id"), memberExt); m != nil {
			writeJSON(w, http.StatusOK, m)
			return
		}
	}
	writeNotFound(w)
}

// memberByExternal returns the member of customer cid whose external_id is
// ext (compared exactly), or nil.
func (d *dataset) memberByExternal(cid, ext string) object {
	if ext == "" {
		return nil
	}
	for _, m := range d.members {
		if str(m, "customer_id") == cid && str(m, "external_id") == ext {
			return m
		}
	}
	return nil
}

// member returns the member of customer cid with id mid, or nil.
func (d *dataset) member(cid, mid string) object {
	for _, m := range d.members {
		if str(m, "customer_id") == cid && strings.EqualFold(str(m, "id"), mid) {
			return m
		}
	}
	return nil
}

// GET /v1/customer-seats
func (s *Server) listCustomerSeats(w http.ResponseWriter, r *http.Request, _ string) {
	p := newParams(r.URL.Query())
	subs := p.uuids("subscription_id")
	orders := p.uuids("order_id")
	if p.errs != nil {
		writeValidation(w, p.errs)
		return
	}
	if !boolean(nested(s.data.org, "feature_settings"), "seat_based_pricing_enabled") {
		writeJSON(w, http.StatusForbidden, map[string]any{"error": "NotPermitted", "detail": "Seat-based pricing is not enabled for this organization"})
		return
	}
	var total int
	var seats []object
	switch {
	case len(subs) > 0:
		sub := findByID(s.data.subscriptions, subs[0])
		if sub == nil {
			writeJSON(w, http.StatusNotFound, map[string]any{"error": "ResourceNotFound", "detail": "Subscription not found"})
			return
		}
		total = int(number(sub, "seats"))
		seats = filterList(s.data.seats, func(o object) bool { return str(o, "subscription_id") == subs[0] })
	case len(orders) > 0:
		order := findByID(s.data.orders, orders[0])
		if order == nil {
			writeJSON(w, http.StatusNotFound, map[string]any{"error": "ResourceNotFound", "detail": "Order not found"})
			return
		}
		total = int(number(order, "seats"))
		seats = filterList(s.data.seats, func(o object) bool { return str(o, "order_id") == orders[0] })
	default:
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "BadRequest", "detail": "Either subscription_id or order_id must be provided"})
		return
	}
	used := 0
	for _, st := range seats {
		if str(st, "status") != "revoked" {
			used++
		}
	}
	if seats == nil {
		seats = []object{}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"seats": seats, "available_seats": max(total-used, 0), "total_seats": total,
	})
}

// sessionMember checks the member a customer session is created for:
// member_id or external_member_id must name a member of customer c, and a
// team customer must name one ("the owner member of the customer will be
// used for individual customers", and only for them).
func (s *Server) sessionMember(c object, body map[string]any) *validationError {
	if v, ok := body["member_id"]; ok && v != nil {
		loc := []any{"body", "member_id"}
		id, isStr := v.(string)
		if !isStr {
			return &validationError{Loc: loc, Type: "uuid_type", Input: v, Msg: "UUID input should be a string, bytes or UUID object"}
		}
		canon, verr := parseUUID4(id, loc)
		if verr != nil {
			return verr
		}
		if s.data.member(str(c, "id"), canon) == nil {
			return &validationError{Loc: loc, Type: "value_error", Input: id, Msg: "Member does not exist."}
		}
		return nil
	}
	if v, ok := body["external_member_id"]; ok && v != nil {
		loc := []any{"body", "external_member_id"}
		ext, isStr := v.(string)
		if !isStr {
			return &validationError{Loc: loc, Type: "string_type", Input: v, Msg: "Input should be a valid string"}
		}
		if s.data.memberByExternal(str(c, "id"), ext) == nil {
			return &validationError{Loc: loc, Type: "value_error", Input: ext, Msg: "Member does not exist."}
		}
		return nil
	}
	if s.data.memberModel() && str(c, "type") == "team" {
		return &validationError{Loc: []any{"body", "member_id"}, Type: "value_error", Input: nil,
			Msg: "member_id is required for team customers."}
	}
	return nil
}

// parseUUID parses a UUID of any version (a path parameter of format
// "uuid", not "uuid4"), returning it in canonical lower-case form or the
// validation error Polar answers with.
func parseUUID(v string, loc []any) (string, *validationError) {
	hex := strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(v, "urn:uuid:")), "-", "")
	canon, err := parseUUID4(v, loc)
	if err != nil && err.Type == "uuid_version" {
		return hex[0:8] + "-" + hex[8:12] + "-" + hex[12:16] + "-" + hex[16:20] + "-" + hex[20:], nil
	}
	return canon, err
}
