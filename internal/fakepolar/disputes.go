package fakepolar

import "net/http"

// Scopes of the disputes endpoints.
const (
	scopeDisputesRead  = "disputes:read"
	scopeDisputesWrite = "disputes:write"
)

// enrichRoutes are the operations answers use to enrich their core
// record: a product by id (a plan change's private target) and disputes.
func (s *Server) enrichRoutes() []route {
	return []route{
		{http.MethodGet, "/v1/products/{id}", []string{scopeProductsRead, scopeProductsWrite}, s.getProduct},
		{http.MethodGet, "/v1/disputes/", []string{scopeDisputesRead, scopeDisputesWrite}, s.listDisputes},
	}
}

func disputeStatuses() []string {
	return []string{"prevented", "early_warning", "needs_response", "under_review", "lost", "won"}
}

// GET /v1/products/{id}: any product of the organization, private and
// archived ones included.
func (s *Server) getProduct(w http.ResponseWriter, _ *http.Request, id string) {
	if _, verr := parseUUID4(id, []any{"path", "id"}); verr != nil {
		writeValidation(w, []validationError{*verr})
		return
	}
	if p := findByID(s.data.products, id); p != nil {
		writeJSON(w, http.StatusOK, p)
		return
	}
	writeNotFound(w)
}

// GET /v1/disputes/
func (s *Server) listDisputes(w http.ResponseWriter, r *http.Request, _ string) {
	p := newParams(r.URL.Query())
	orgs := p.uuids("organization_id")
	orders := p.uuids("order_id")
	statuses := p.enums("status", disputeStatuses())
	sorting := p.sorting([]string{"created_at", "amount"}, "-created_at")
	page, limit := p.page()
	if p.errs != nil {
		writeValidation(w, p.errs)
		return
	}
	items := filterList(s.data.disputes, func(d object) bool {
		order := findByID(s.data.orders, str(d, "order_id"))
		return inSet(orgs, str(nested(order, "customer"), "organization_id")) &&
			inSet(orders, str(d, "order_id")) &&
			(statuses == nil || contains(statuses, str(d, "status")))
	})
	sortList(items, sorting, map[string]sortKey{
		"created_at": byTime("created_at"),
		"amount":     byNumber("amount"),
	})
	writePage(w, items, page, limit)
}
