package webhooks_test

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/internal/webhooks"
)

// TestEveryPublishedEventIsMapped: every webhook event in Polar's API
// description has a decided effect. Those whose payload is a customer's
// record (or names its customer) change that customer's kept answers and
// carry the record to write through; member events the member index;
// seat events the billing, then the member; catalog events the catalog;
// organization.updated the organization. checkout.* and discount.* change
// nothing the server keeps (a discount reaches a customer's answers only
// through the subscription.updated or order event that applies it). A
// family the table does not know fails, so a new event is a decision.
func TestEveryPublishedEventIsMapped(t *testing.T) {
	var doc struct {
		Webhooks map[string]json.RawMessage `json:"webhooks"`
	}
	if err := json.Unmarshal(testkit.OpenAPI(t), &doc); err != nil {
		t.Fatal(err)
	}
	want := map[string][]webhooks.Scope{
		"customer":      {webhooks.ScopeCustomer},
		"subscription":  {webhooks.ScopeBilling},
		"order":         {webhooks.ScopeBilling},
		"refund":        {webhooks.ScopeBilling},
		"benefit_grant": {webhooks.ScopeBilling},
		"member":        {webhooks.ScopeMember},
		"customer_seat": {webhooks.ScopeBilling, webhooks.ScopeMember},
		"product":       {webhooks.ScopeCatalog},
		"benefit":       {webhooks.ScopeCatalog},
		"checkout":      nil,
		"discount":      nil,
	}
	data := `{"id":"r1","customer_id":"c1","customer":{"id":"c1"},"member_id":"m1","email":"a@x.io","organization_id":"o"}`
	types := make([]string, 0, len(doc.Webhooks))
	for typ := range doc.Webhooks {
		types = append(types, typ)
	}
	sort.Strings(types)
	if len(types) == 0 {
		t.Fatal("the API description lists no webhooks")
	}
	for _, typ := range types {
		family, _, _ := strings.Cut(typ, ".")
		scopes, known := want[family]
		if typ == "organization.updated" {
			scopes, known = []webhooks.Scope{webhooks.ScopeOrganization}, true
		}
		if !known {
			t.Errorf("%s: no decided effect for this family of events", typ)
			continue
		}
		got := webhooks.Map(webhooks.Event{Type: typ, Org: "o", Data: json.RawMessage(data)})
		if len(got) != len(scopes) {
			t.Errorf("%s: %d changes %+v, want scopes %v", typ, len(got), got, scopes)
			continue
		}
		for i, c := range got {
			if c.Scope != scopes[i] {
				t.Errorf("%s: change %d has scope %s, want %s", typ, i, c.Scope, scopes[i])
			}
		}
		if len(got) > 0 && got[0].Scope != webhooks.ScopeCatalog && got[0].Scope != webhooks.ScopeOrganization && got[0].Record == "" {
			t.Errorf("%s: the change carries no record to write through", typ)
		}
	}
}
