package fleet

import (
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/webhooks"
)

// TestWebhookEventsBecomeInvalidations checks what a verified webhook
// event makes stale across the fleet: webhooks' changes, with the email
// only hashed (normalized first).
func TestWebhookEventsBecomeInvalidations(t *testing.T) {
	cases := []struct {
		typ, data string
		want      []Invalidation
	}{
		{"customer.updated", `{"id":"c1","email":"A@x.io"}`, []Invalidation{{Org: "o", Kind: KindCustomer, CustomerID: "c1", EmailHash: HashEmail("a@x.io")}}},
		{"subscription.canceled", `{"id":"s1","customer_id":"c2"}`, []Invalidation{{Org: "o", Kind: KindBilling, CustomerID: "c2"}}},
		{"benefit_grant.revoked", `{"id":"g1","customer":{"id":"c3"}}`, []Invalidation{{Org: "o", Kind: KindBilling, CustomerID: "c3"}}},
		{"product.updated", `{"id":"p1"}`, []Invalidation{{Org: "o", Kind: KindCatalog}}},
		{"organization.updated", `{"id":"o"}`, []Invalidation{{Org: "o", Kind: KindOrganization}}},
		{"checkout.created", `{"id":"k"}`, nil},
	}
	for _, c := range cases {
		var got []Invalidation
		for _, ch := range webhooks.Map(webhooks.Event{Type: c.typ, Org: "o", Data: []byte(c.data)}) {
			got = append(got, invalidation(ch))
		}
		if len(got) != len(c.want) || (len(got) == 1 && got[0] != c.want[0]) {
			t.Errorf("%s: %+v, want %+v", c.typ, got, c.want)
		}
	}
}
