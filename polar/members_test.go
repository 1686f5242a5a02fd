package polar_test

import (
	"context"
	"errors"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/polar"
)

// Demo team members (internal/fakepolar/fixtures/demo/README.md).
const (
	demoOwnerMember = "ae000000-0001-4000-8001-000000000001"
	demoKenMember   = "ae000000-0001-4000-8003-000000000003"
	demoTeamSub     = "51000000-0001-4000-8004-000000000004"
)

// TestMembersAgainstFakePolar runs every member operation against the
// fake, checking each request is the spec's operation with its parameters.
func TestMembersAgainstFakePolar(t *testing.T) {
	ctx := context.Background()
	c, fake := newDemo(t, fakepolar.Options{}, fakepolar.DemoToken)

	team, err := c.ListMembers(ctx, polar.MemberQuery{CustomerID: demoTeam, Page: 1})
	if err != nil || len(team.Items) != 6 || team.Items[0].Role != polar.RoleOwner {
		t.Fatalf("team members: %+v, %v", team, err)
	}
	roles := map[string]int{}
	for _, m := range team.Items {
		roles[m.Role]++
		if m.CustomerID != demoTeam {
			t.Errorf("member %s of customer %s", m.ID, m.CustomerID)
		}
	}
	if roles[polar.RoleOwner] != 1 || roles[polar.RoleBillingManager] != 1 || roles[polar.RoleMember] != 4 {
		t.Errorf("roles %v", roles)
	}
	last := fake.Requests()[len(fake.Requests())-1]
	if last.Path != "/v1/members/" || last.Query.Get("customer_id") != demoTeam || last.Query.Get("limit") != "100" ||
		last.Query.Get("sorting") != "created_at" || last.PolarVersion == "" || !last.Authorized {
		t.Errorf("list request %+v", last)
	}

	ken, err := c.MemberByExternalID(ctx, "org_acme", "usr_acme_ken")
	if err != nil || ken.ID != demoKenMember || ken.Email != "ken@acme.example" {
		t.Fatalf("ken by external id: %+v, %v", ken, err)
	}
	if p := fake.Requests()[len(fake.Requests())-1].Path; p != "/v1/customers/external/org_acme/members/usr_acme_ken" {
		t.Errorf("external member path %q", p)
	}
	if _, err := c.MemberByExternalID(ctx, "org_acme", "usr_1001"); !errors.Is(err, polar.ErrMemberNotFound) {
		t.Errorf("a member of another customer: %v", err)
	}
	if _, err := c.MemberByExternalID(ctx, "org_acme", "../x"); err == nil {
		t.Error("a malformed member external id was sent")
	}
	if m, err := c.GetMember(ctx, demoTeam, demoOwnerMember); err != nil || m.Role != polar.RoleOwner {
		t.Errorf("owner by id: %+v, %v", m, err)
	}
	if _, err := c.GetMember(ctx, demoCarol, demoOwnerMember); !errors.Is(err, polar.ErrMemberNotFound) {
		t.Errorf("member of another customer by id: %v", err)
	}

	seats, err := c.SubscriptionSeats(ctx, demoTeamSub)
	if err != nil || seats.Total != 12 || len(seats.Seats) != 5 {
		t.Fatalf("seats: %+v, %v", seats, err)
	}
	for _, s := range seats.Seats {
		switch s.Status {
		case "pending":
			if s.InvitationExpiresAt == nil {
				t.Error("pending seat without invitation expiry")
			}
		case "revoked":
			if s.RevokedAt == nil {
				t.Error("revoked seat without revoked_at")
			}
		}
	}

	grants, err := c.MemberGrants(ctx, polar.ByID(demoTeam))
	if err != nil {
		t.Fatal(err)
	}
	held := map[string]int{}
	for _, g := range grants {
		if g.MemberID != nil {
			held[*g.MemberID]++
		}
	}
	if held[demoOwnerMember] != 1 || held[demoKenMember] != 1 || len(held) != 3 {
		t.Errorf("member grants %v", held)
	}

	if _, err := c.CreateCustomerSession(ctx, polar.ByID(demoTeam)); err == nil {
		t.Error("a team session without member_id was created")
	} else if pe, ok := polar.AsError(err); !ok || pe.Kind != polar.KindInvalid {
		t.Errorf("team session without member: %v", err)
	}
	s, err := c.CreateMemberSession(ctx, polar.ByID(demoTeam), demoKenMember)
	if err != nil || s.CustomerID != demoTeam || s.CustomerPortalURL == "" {
		t.Fatalf("member session: %+v, %v", s, err)
	}
	s, err = c.CreateMemberSession(ctx, polar.ByExternalID("org_acme"), demoOwnerMember)
	if err != nil || s.CustomerID != demoTeam {
		t.Fatalf("member session by external id: %+v, %v", s, err)
	}
}
