package fleet

import (
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/webhooks"
)

// TestWebhookEventsBecomeInvalidations checks what a verified webhook
// event makes stale across the fleet: webhooks' changes, with the email
// only hashed (normalized first), members for the member index, and the
// record of every event that carries one, to write through.
func TestWebhookEventsBecomeInvalidations(t *testing.T) {
	cases := []struct {
		typ, data string
		want      []Invalidation
	}{
		{"customer.updated", `{"id":"c1","email":"A@x.io"}`, []Invalidation{{Org: "o", Kind: KindCustomer, CustomerID: "c1", EmailHash: HashEmail("a@x.io"),
			Event: "customer.updated", Record: `{"id":"c1","email":"A@x.io"}`}}},
		{"subscription.canceled", `{"id":"s1","customer_id":"c2"}`, []Invalidation{{Org: "o", Kind: KindBilling, CustomerID: "c2",
			Event: "subscription.canceled", Record: `{"id":"s1","customer_id":"c2"}`}}},
		{"member.updated", `{"id":"m1","customer_id":"c4","email":"ken@acme.example"}`, []Invalidation{{Org: "o", Kind: KindMember, CustomerID: "c4", MemberID: "m1",
			Event: "member.updated", Record: `{"id":"m1","customer_id":"c4","email":"ken@acme.example"}`}}},
		{"customer_seat.claimed", `{"id":"s2","customer_id":"c4","member_id":"m1"}`, []Invalidation{
			{Org: "o", Kind: KindBilling, CustomerID: "c4", Event: "customer_seat.claimed", Record: `{"id":"s2","customer_id":"c4","member_id":"m1"}`},
			{Org: "o", Kind: KindMember, CustomerID: "c4", MemberID: "m1"}}},
		{"benefit_grant.revoked", `{"id":"g1","customer":{"id":"c3"}}`, []Invalidation{{Org: "o", Kind: KindBilling, CustomerID: "c3",
			Event: "benefit_grant.revoked", Record: `{"id":"g1","customer":{"id":"c3"}}`}}},
		{"order.refunded", `{"id":"o1","customer_id":"c5"}`, []Invalidation{{Org: "o", Kind: KindBilling, CustomerID: "c5",
			Event: "order.refunded", Record: `{"id":"o1","customer_id":"c5"}`}}},
		{"product.updated", `{"id":"p1"}`, []Invalidation{{Org: "o", Kind: KindCatalog}}},
		{"organization.updated", `{"id":"o"}`, []Invalidation{{Org: "o", Kind: KindOrganization}}},
		{"checkout.created", `{"id":"k"}`, nil},
	}
	for _, c := range cases {
		var got []Invalidation
		for _, ch := range webhooks.Map(webhooks.Event{Type: c.typ, Org: "o", Data: []byte(c.data)}) {
			got = append(got, invalidation(ch))
		}
		if len(got) != len(c.want) {
			t.Errorf("%s: %+v, want %+v", c.typ, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: %+v, want %+v", c.typ, got, c.want)
			}
		}
	}
}
