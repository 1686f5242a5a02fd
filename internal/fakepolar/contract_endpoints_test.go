package fakepolar

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// call is one request of the endpoint contract test: the OpenAPI path
// template it exercises, and the status the fake must answer.
type call struct {
	method   string
	template string
	path     string // template with {id} substituted, plus the query
	body     string
	status   int
}

// contractCalls lists every endpoint and filter combination the fake
// supports, for the fixture set whose customers, products, benefits and
// organization are given.
func contractCalls(orgID string, customers, products, benefits, subscriptions []string) []call {
	const bad = "not-a-uuid"
	list := func(template, query string, status int) call {
		return call{http.MethodGet, template, template + query, "", status}
	}
	byID := func(template, id string, status int) call {
		return call{http.MethodGet, template, strings.Replace(template, "{id}", url.PathEscape(id), 1), "", status}
	}
	session := func(body string, status int) call {
		return call{http.MethodPost, "/v1/customer-sessions/", "/v1/customer-sessions/", body, status}
	}
	calls := []call{
		list("/v1/customers/", "", 200),
		list("/v1/customers/", "?email=alice@example.com", 200),
		list("/v1/customers/", "?email=FRANK.MILLER@EXAMPLE.COM", 200),
		list("/v1/customers/", "?email=nobody@example.com", 200),
		list("/v1/customers/", "?query=acme", 200),
		list("/v1/customers/", "?organization_id="+orgID, 200),
		list("/v1/customers/", "?active=true&sorting=email", 200),
		list("/v1/customers/", "?sorting=-name&page=2&limit=2", 200),
		list("/v1/customers/", "?limit=0", 422),
		list("/v1/customers/", "?limit=101", 422),
		list("/v1/customers/", "?organization_id="+bad, 422),
		list("/v1/customers/", "?sorting=shoe_size", 422),
		byID("/v1/customers/{id}", unknownUUID, 404),
		byID("/v1/customers/{id}", bad, 422),
		byID("/v1/customers/{id}/state", unknownUUID, 404),
		byID("/v1/customers/{id}/state", bad, 422),

		list("/v1/subscriptions/", "", 200),
		list("/v1/subscriptions/", "?customer_id="+customers[0]+"&customer_id="+customers[1], 200),
		list("/v1/subscriptions/", "?status=active", 200),
		list("/v1/subscriptions/", "?status=paused&status=past_due&status=trialing", 200),
		list("/v1/subscriptions/", "?active=true", 200),
		list("/v1/subscriptions/", "?active=false", 200),
		list("/v1/subscriptions/", "?product_id="+products[0], 200),
		list("/v1/subscriptions/", "?cancel_at_period_end=true", 200),
		list("/v1/subscriptions/", "?sorting=started_at", 200),
		list("/v1/subscriptions/", "?sorting=status&sorting=-amount&limit=1&page=2", 200),
		list("/v1/subscriptions/", "?customer_id="+bad, 422),
		list("/v1/subscriptions/", "?status=expired", 422),
		list("/v1/subscriptions/", "?cancel_at_period_end=maybe", 422),

		list("/v1/orders/", "", 200),
		list("/v1/orders/", "?status=paid&status=refunded&status=partially_refunded", 200),
		list("/v1/orders/", "?status=draft&status=void&status=pending", 200),
		list("/v1/orders/", "?product_id="+products[0], 200),
		list("/v1/orders/", "?subscription_id="+subscriptions[0], 200),
		list("/v1/orders/", "?sorting=created_at&limit=3&page=2", 200),
		list("/v1/orders/", "?sorting=-amount", 200),
		list("/v1/orders/", "?customer_id="+bad, 422),
		list("/v1/orders/", "?page=0", 422),

		list("/v1/products/", "", 200),
		list("/v1/products/", "?is_archived=false&visibility=public", 200),
		list("/v1/products/", "?is_archived=true", 200),
		list("/v1/products/", "?visibility=private", 200),
		list("/v1/products/", "?is_recurring=true&limit=100", 200),
		list("/v1/products/", "?is_recurring=false&sorting=name", 200),
		list("/v1/products/", "?id="+products[0]+"&id="+products[1], 200),
		list("/v1/products/", "?query=pro", 200),
		list("/v1/products/", "?id="+bad, 422),
		list("/v1/products/", "?visibility=hidden", 422),

		list("/v1/benefits/", "", 200),
		list("/v1/benefits/", "?id="+benefits[0], 200),
		list("/v1/benefits/", "?limit=3&page=2&sorting=type", 200),
		list("/v1/benefits/", "?type=unicorn", 422),

		list("/v1/disputes/", "", 200),
		list("/v1/disputes/", "?status=needs_response&status=won&sorting=-amount", 200),
		list("/v1/disputes/", "?organization_id="+orgID+"&limit=100", 200),
		list("/v1/disputes/", "?order_id="+bad, 422),
		list("/v1/disputes/", "?status=escalated", 422),
		byID("/v1/products/{id}", unknownUUID, 404),
		byID("/v1/products/{id}", bad, 422),

		list("/v1/organizations/", "", 200),
		list("/v1/organizations/", "?slug=no-such-org", 200),
		byID("/v1/organizations/{id}", orgID, 200),
		byID("/v1/organizations/{id}", unknownUUID, 404),
		byID("/v1/organizations/{id}", bad, 422),

		session(`{"customer_id":"`+customers[0]+`"}`, 201),
		session(`{"customer_id":"`+customers[0]+`","return_url":"https://example.com/account"}`, 201),
		session(`{"customer_id":"`+unknownUUID+`"}`, 422),
		session(`{"customer_id":"`+bad+`"}`, 422),
		session(`{}`, 422),
		session(`not json`, 422),
	}
	for _, id := range customers {
		calls = append(calls,
			byID("/v1/customers/{id}", id, 200),
			byID("/v1/customers/{id}/state", id, 200),
			list("/v1/subscriptions/", "?customer_id="+id, 200),
			list("/v1/orders/", "?customer_id="+id+"&limit=100", 200),
			session(`{"customer_id":"`+id+`"}`, sessionStatus(orgID, id)),
		)
	}
	if orgID == demoOrgID {
		calls = append(calls, memberCalls()...)
	}
	for _, id := range products {
		calls = append(calls, byID("/v1/products/{id}", id, 200))
	}
	for _, t := range benefitTypes() {
		calls = append(calls, list("/v1/benefits/", "?type="+t, 200))
	}
	for _, st := range orderStatuses() {
		calls = append(calls, list("/v1/orders/", "?status="+st, 200))
	}
	for _, st := range subscriptionStatuses() {
		calls = append(calls, list("/v1/subscriptions/", "?status="+st, 200))
	}
	return calls
}

// fixtureIDs returns the ids of the items of a fixture file.
func fixtureIDs(t *testing.T, fsys fs.FS, file string) []string {
	t.Helper()
	raw, err := fs.ReadFile(fsys, file)
	if err != nil {
		t.Fatal(err)
	}
	var items []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw, &items); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	return ids
}

func TestResponsesMatchOpenAPI(t *testing.T) {
	c := loadContract(t)
	for name, fsys := range map[string]fs.FS{"demo": demoFS(t), "other": otherFS(t)} {
		s, hs := newTestServer(t, fsys, Options{})
		calls := contractCalls(s.OrganizationID(),
			fixtureIDs(t, fsys, "customers.json"), fixtureIDs(t, fsys, "products.json"),
			fixtureIDs(t, fsys, "benefits.json"), fixtureIDs(t, fsys, "subscriptions.json"))
		calls = append(calls, externalCalls(s.OrganizationID(), fixtureIDs(t, fsys, "customers.json"),
			fixtureExternalIDs(t, fsys))...)
		for _, cl := range calls {
			what := name + ": " + cl.method + " " + cl.path
			r := do(t, cl.method, hs.URL+cl.path, DemoToken, cl.body)
			if r.status != cl.status {
				t.Errorf("%s: status %d, want %d: %s", what, r.status, cl.status, r.raw)
				continue
			}
			schema, ok := c.response(t, cl.template, cl.method, r.status)
			if !ok {
				t.Errorf("%s: status %d is not documented for the operation", what, r.status)
				continue
			}
			c.validate(t, schema, what, r.raw)
		}
	}
}
