package identity

import (
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// TestMemberClaim: external_member_id names a member of the team customer
// external_customer_id names; it is taken exactly (never trimmed), needs
// the customer's external id, and is refused from agents.
func TestMemberClaim(t *testing.T) {
	now := testNow()
	exp := now.Add(time.Hour).Unix()
	refused := map[string]string{
		"member without its customer": `{"role":"customer","email":"a@example.com","email_verified":true,"external_member_id":"usr_acme_ken","exp":%d}`,
		"member id with spaces":       `{"role":"customer","external_customer_id":"org_acme","external_member_id":" usr_acme_ken","exp":%d}`,
		"member id with a slash":      `{"role":"customer","external_customer_id":"org_acme","external_member_id":"../usr","exp":%d}`,
		"member id of the wrong type": `{"role":"customer","external_customer_id":"org_acme","external_member_id":7,"exp":%d}`,
		"agent with a member id":      `{"role":"agent","external_member_id":"usr_acme_ken","exp":%d}`,
		"member claim in capitals":    `{"role":"customer","external_customer_id":"org_acme","EXTERNAL_MEMBER_ID":"usr_acme_ken","exp":%d}`,
	}
	for name, payload := range refused {
		if id, err := Verify([]byte(secretA), signRaw(t, hs256, sprintf(payload, exp)), Policy{Now: now}); err == nil {
			t.Errorf("%s: accepted as %+v", name, id)
		}
	}
	got, err := Verify([]byte(secretA), signRaw(t, hs256, sprintf(
		`{"role":"customer","external_customer_id":"org_acme","external_member_id":"usr_acme_ken","exp":%d}`, exp)), Policy{Now: now})
	want := caller.Identity{Role: caller.Customer, ExternalID: "org_acme", MemberExternalID: "usr_acme_ken"}
	if err != nil || got != want {
		t.Fatalf("got %+v, %v; want %+v", got, err, want)
	}
	tok, err := Mint([]byte(secretA), Claims{Role: caller.Customer, ExternalCustomerID: "org_acme",
		ExternalMemberID: "usr_acme_omar", Subject: "omar"}, time.Hour, now)
	if err != nil {
		t.Fatal(err)
	}
	if id, err := Verify([]byte(secretA), tok, Policy{Now: now}); err != nil || id.MemberExternalID != "usr_acme_omar" {
		t.Fatalf("minted member token: %+v, %v", id, err)
	}
	if _, err := Mint([]byte(secretA), Claims{Role: caller.Customer, ExternalCustomerID: "org_acme",
		ExternalMemberID: "usr_acme_omar "}, time.Hour, now); err == nil {
		t.Error("Mint trimmed or accepted a member id with a trailing space")
	}
}
