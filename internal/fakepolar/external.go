package fakepolar

import (
	"net/http"
)

// customerByExternal returns the customer whose external_id is ext
// (compared exactly, as Polar does), or nil.
func (d *dataset) customerByExternal(ext string) object {
	if ext == "" {
		return nil
	}
	for _, c := range d.customers {
		if str(c, "external_id") == ext {
			return c
		}
	}
	return nil
}

// GET /v1/customers/external/{external_id}
func (s *Server) getCustomerExternal(w http.ResponseWriter, _ *http.Request, ext string) {
	if c := s.data.customerByExternal(ext); c != nil {
		writeJSON(w, http.StatusOK, c)
		return
	}
	writeNotFound(w)
}

// GET /v1/customers/external/{external_id}/state
func (s *Server) getCustomerStateExternal(w http.ResponseWriter, _ *http.Request, ext string) {
	if c := s.data.customerByExternal(ext); c != nil {
		writeJSON(w, http.StatusOK, s.customerState(c))
		return
	}
	writeNotFound(w)
}

// GET /v1/benefit-grants/
func (s *Server) listBenefitGrants(w http.ResponseWriter, r *http.Request, _ string) {
	p := newParams(r.URL.Query())
	orgs := p.uuids("organization_id")
	customers := p.uuids("customer_id")
	externals := p.strs("external_customer_id")
	granted := p.boolean("is_granted")
	sorting := p.sorting([]string{"created_at", "granted_at", "revoked_at"}, "-created_at")
	page, limit := p.page()
	if p.errs != nil {
		writeValidation(w, p.errs)
		return
	}
	items := filterList(s.data.grants, func(g object) bool {
		customer := nested(g, "customer")
		// is_granted=false lists revoked grants, as Polar documents.
		return inSet(orgs, str(customer, "organization_id")) &&
			inSet(customers, str(g, "customer_id")) &&
			(externals == nil || containsExact(externals, str(customer, "external_id"))) &&
			(granted == nil || (*granted && boolean(g, "is_granted")) || (!*granted && boolean(g, "is_revoked")))
	})
	sortList(items, sorting, map[string]sortKey{
		"created_at": byTime("created_at"),
		"granted_at": byTime("granted_at"),
		"revoked_at": byTime("revoked_at"),
	})
	writePage(w, items, page, limit)
}
