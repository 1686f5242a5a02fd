package fakepolar

import (
	"net/http"
	"strings"
)

// Scopes checked by the fake, as named in each operation's OpenAPI
// `security` requirement.
const (
	scopeCustomersRead         = "customers:read"
	scopeCustomersWrite        = "customers:write"
	scopeSubscriptionsRead     = "subscriptions:read"
	scopeSubscriptionsWrite    = "subscriptions:write"
	scopeOrdersRead            = "orders:read"
	scopeProductsRead          = "products:read"
	scopeProductsWrite         = "products:write"
	scopeBenefitsRead          = "benefits:read"
	scopeBenefitsWrite         = "benefits:write"
	scopeOrganizationsRead     = "organizations:read"
	scopeOrganizationsWrite    = "organizations:write"
	scopeCustomerSessionsWrite = "customer_sessions:write"
	scopeLicenseKeysRead       = "license_keys:read"
	scopeLicenseKeysWrite      = "license_keys:write"
)

// route is one Polar operation. pattern is a path whose "{id}" segment
// matches any single segment; scopes are the alternatives that authorize it.
type route struct {
	method  string
	pattern string
	scopes  []string
	handle  func(w http.ResponseWriter, r *http.Request, id string)
}

func (s *Server) routeTable() []route {
	routes := []route{
		{http.MethodGet, "/v1/customers/", []string{scopeCustomersRead, scopeCustomersWrite}, s.listCustomers},
		{http.MethodGet, "/v1/customers/{id}", []string{scopeCustomersRead, scopeCustomersWrite}, s.getCustomer},
		{http.MethodGet, "/v1/customers/{id}/state", []string{scopeCustomersRead, scopeCustomersWrite}, s.getCustomerState},
		{http.MethodGet, "/v1/subscriptions/", []string{scopeSubscriptionsRead, scopeSubscriptionsWrite}, s.listSubscriptions},
		{http.MethodGet, "/v1/orders/", []string{scopeOrdersRead}, s.listOrders},
		{http.MethodGet, "/v1/products/", []string{scopeProductsRead, scopeProductsWrite}, s.listProducts},
		{http.MethodGet, "/v1/benefits/", []string{scopeBenefitsRead, scopeBenefitsWrite}, s.listBenefits},
		{http.MethodGet, "/v1/organizations/", []string{scopeOrganizationsRead, scopeOrganizationsWrite}, s.listOrganizations},
		{http.MethodGet, "/v1/organizations/{id}", []string{scopeOrganizationsRead, scopeOrganizationsWrite}, s.getOrganization},
		{http.MethodPost, "/v1/customer-sessions/", []string{scopeCustomerSessionsWrite}, s.createCustomerSession},
	}
	// External customer ids and benefit grants (external.go).
	routes = append(routes, []route{
		{http.MethodGet, "/v1/customers/external/{id}", []string{scopeCustomersRead, scopeCustomersWrite}, s.getCustomerExternal},
		{http.MethodGet, "/v1/customers/external/{id}/state", []string{scopeCustomersRead, scopeCustomersWrite}, s.getCustomerStateExternal},
		{http.MethodGet, "/v1/benefit-grants/", []string{scopeBenefitsRead, scopeBenefitsWrite}, s.listBenefitGrants},
	}...)
	return routes
}

// billingRoutes are the invoice, receipt and license-key operations.
func (s *Server) billingRoutes() []route {
	return []route{
		{http.MethodGet, "/v1/orders/{id}", []string{scopeOrdersRead}, s.getOrder},
		{http.MethodGet, "/v1/orders/{id}/invoice", []string{scopeOrdersRead}, s.getOrderInvoice},
		{http.MethodPost, "/v1/orders/{id}/invoice", []string{scopeOrdersRead}, s.generateOrderInvoice},
		{http.MethodGet, "/v1/orders/{id}/receipt", []string{scopeOrdersRead}, s.getOrderReceipt},
		{http.MethodGet, "/v1/license-keys/{id}", []string{scopeLicenseKeysRead, scopeLicenseKeysWrite}, s.getLicenseKey},
	}
}

// match finds the route for method and path. It returns the "{id}" segment
// and 0, or 404 when no route has the path, or 405 when only the method
// differs.
func (s *Server) match(method, path string) (route, string, int) {
	status := http.StatusNotFound
	for _, rt := range s.routes {
		id, ok := matchPattern(rt.pattern, path)
		if !ok {
			continue
		}
		if rt.method == method {
			return rt, id, 0
		}
		status = http.StatusMethodNotAllowed
	}
	return route{}, "", status
}

func matchPattern(pattern, path string) (string, bool) {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return "", false
	}
	id := ""
	for i, p := range ps {
		switch {
		case p == "{id}" && xs[i] != "" && id != "":
			// A second id (a member of a customer) joins the first.
			id += "/" + xs[i]
		case p == "{id}" && xs[i] != "":
			id = xs[i]
		case p != xs[i]:
			return "", false
		}
	}
	return id, true
}

// bearerToken returns the token of an "Authorization: Bearer" header.
func bearerToken(r *http.Request) string {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}
