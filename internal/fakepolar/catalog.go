package fakepolar

import (
	"net/http"
	"strings"
)

// GET /v1/products/
func (s *Server) listProducts(w http.ResponseWriter, r *http.Request, _ string) {
	p := newParams(r.URL.Query())
	ids := p.uuids("id")
	orgs := p.uuids("organization_id")
	query := strings.ToLower(p.str("query"))
	archived := p.boolean("is_archived")
	recurring := p.boolean("is_recurring")
	benefitIDs := p.uuids("benefit_id")
	visibility := p.enums("visibility", []string{"draft", "private", "public"})
	sorting := p.sorting([]string{"created_at", "name", "price_amount_type", "price_amount"}, "-created_at")
	page, limit := p.page()
	if p.errs != nil {
		writeValidation(w, p.errs)
		return
	}
	items := filterList(s.data.products, func(prod object) bool {
		return inSet(ids, str(prod, "id")) &&
			inSet(orgs, str(prod, "organization_id")) &&
			(query == "" || strings.Contains(strings.ToLower(str(prod, "name")), query)) &&
			matchesBool(archived, boolean(prod, "is_archived")) &&
			matchesBool(recurring, boolean(prod, "is_recurring")) &&
			(benefitIDs == nil || grantsAnyBenefit(prod, benefitIDs)) &&
			(visibility == nil || contains(visibility, str(prod, "visibility")))
	})
	sortList(items, sorting, map[string]sortKey{
		"created_at":        byTime("created_at"),
		"name":              byString("name"),
		"price_amount_type": byFirstPrice(byString("amount_type")),
		"price_amount":      byFirstPrice(byNumber("price_amount")),
	})
	writePage(w, items, page, limit)
}

func grantsAnyBenefit(prod object, ids []string) bool {
	bs, _ := prod["benefits"].([]any)
	for _, b := range bs {
		if bo, ok := b.(map[string]any); ok && inSet(ids, str(bo, "id")) {
			return true
		}
	}
	return false
}

// byFirstPrice orders products on their first price by key.
func byFirstPrice(key sortKey) sortKey {
	first := func(prod object) object {
		ps, _ := prod["prices"].([]any)
		if len(ps) == 0 {
			return nil
		}
		pr, _ := ps[0].(map[string]any)
		return pr
	}
	return func(a, b object) int { return key(first(a), first(b)) }
}

// benefitTypes is Polar's BenefitType enum.
func benefitTypes() []string {
	return []string{"custom", "discord", "github_repository", "downloadables", "license_keys", "meter_credit",
		"feature_flag", "slack_shared_channel"}
}

// GET /v1/benefits/
func (s *Server) listBenefits(w http.ResponseWriter, r *http.Request, _ string) {
	p := newParams(r.URL.Query())
	orgs := p.uuids("organization_id")
	types := p.enums("type", benefitTypes())
	ids := p.uuids("id")
	excluded := p.uuids("exclude_id")
	query := strings.ToLower(p.str("query"))
	sorting := p.sorting([]string{"created_at", "description", "type", "user_order"}, "-created_at")
	page, limit := p.page()
	if p.errs != nil {
		writeValidation(w, p.errs)
		return
	}
	items := filterList(s.data.benefits, func(b object) bool {
		return inSet(orgs, str(b, "organization_id")) &&
			(types == nil || contains(types, str(b, "type"))) &&
			inSet(ids, str(b, "id")) &&
			(excluded == nil || !inSet(excluded, str(b, "id"))) &&
			(query == "" || strings.Contains(strings.ToLower(str(b, "description")), query))
	})
	sortList(items, sorting, map[string]sortKey{
		"created_at":  byTime("created_at"),
		"description": byString("description"),
		"type":        byString("type"),
		"user_order":  byTime("created_at"),
	})
	writePage(w, items, page, limit)
}

// GET /v1/organizations/
func (s *Server) listOrganizations(w http.ResponseWriter, r *http.Request, _ string) {
	p := newParams(r.URL.Query())
	slug, hasSlug := p.str("slug"), p.q.Has("slug")
	p.sorting([]string{"created_at", "slug", "name", "next_review_threshold", "days_in_status"}, "created_at")
	page, limit := p.page()
	if p.errs != nil {
		writeValidation(w, p.errs)
		return
	}
	items := []object{}
	if !hasSlug || strings.EqualFold(slug, s.data.orgSlug) {
		items = append(items, s.data.org)
	}
	writePage(w, items, page, limit)
}

// GET /v1/organizations/{id}
func (s *Server) getOrganization(w http.ResponseWriter, _ *http.Request, id string) {
	canon, verr := parseUUID4(id, []any{"path", "id"})
	switch {
	case verr != nil:
		writeValidation(w, []validationError{*verr})
	case canon != strings.ToLower(s.data.orgID):
		writeNotFound(w)
	default:
		writeJSON(w, http.StatusOK, s.data.org)
	}
}
