package webhooks

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestMapMemberEvents: member.* and customer_seat.* events name the member
// for the member index (never an email), and a seat change makes its
// customer's billing stale.
func TestMapMemberEvents(t *testing.T) {
	member := `{"id":"m1","customer_id":"c1","email":"ken@acme.example","role":"member"}`
	seat := `{"id":"s1","customer_id":"c1","member_id":"m1","status":"claimed","email":"ken@acme.example"}`
	for _, typ := range []string{"member.created", "member.updated", "member.deleted"} {
		got := Map(Event{Type: typ, Org: "o", Data: json.RawMessage(member)})
		want := []Change{{Org: "o", Scope: ScopeMember, CustomerID: "c1", MemberID: "m1", Event: typ, Record: member}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %+v", typ, got)
		}
	}
	for _, typ := range []string{"customer_seat.assigned", "customer_seat.claimed", "customer_seat.revoked"} {
		got := Map(Event{Type: typ, Org: "o", Data: json.RawMessage(seat)})
		want := []Change{
			{Org: "o", Scope: ScopeBilling, CustomerID: "c1", Event: typ, Record: seat},
			{Org: "o", Scope: ScopeMember, CustomerID: "c1", MemberID: "m1"},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %+v", typ, got)
		}
	}
	if got := Map(Event{Type: "member.created", Org: "o", Data: json.RawMessage(`{}`)}); got != nil {
		t.Errorf("member event without id: %+v", got)
	}
}
