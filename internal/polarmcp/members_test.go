package polarmcp

import (
	"context"
	"strings"
	"testing"
)

// A member joins a team in Polar; the member.created webhook reaches one
// instance, and another instance's member index finds the new member by
// email from the event's record, through Redis, without asking Polar:
// no lookup by id, no listing of the members again.
func TestMemberWebhookUpdatesTheIndexOfAnotherInstance(t *testing.T) {
	fake, _, b := webhookedPair(t)
	ctx := context.Background()
	idx := b.e.merchant.Client
	if found, err := idx.FindMembersByEmail(ctx, "ken@acme.example"); err != nil || len(found) != 1 {
		t.Fatalf("ken: %v %v", found, err)
	}
	listings := func() int {
		n := 0
		for _, r := range fake.Requests() {
			if r.Path == "/v1/members/" {
				n++
			}
		}
		return n
	}
	listed := listings()
	m, err := fake.AddMember("c1000000-0001-4000-8004-000000000004", "new.hire@acme.example", "member")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fake.WaitWebhookDeliveries(ctx, 1); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the other instance finds the new member", func() bool {
		found, err := idx.FindMembersByEmail(ctx, "new.hire@acme.example")
		return err == nil && len(found) == 1 && found[0].ID == m["id"]
	})
	if n := listings(); n != listed {
		t.Errorf("the members were listed again (%d listings, want %d)", n, listed)
	}
	byID := 0
	for _, r := range fake.Requests() {
		if strings.HasSuffix(r.Path, "/members/"+m["id"].(string)) {
			byID++
		}
	}
	if byID != 0 {
		// member.created carries the member: every instance writes it into
		// its index from the event, through Redis, without asking Polar.
		t.Errorf("the new member was looked up by id %d times, want 0 (written through)", byID)
	}
}
