package polarmcp

import (
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/tools"
)

// TestTeamMembersOverStreamableHTTP serves the demo's team over streamable
// HTTP, each caller with a signed token (an email, or the team's
// external_customer_id with an external_member_id), as a chatbot would.
func TestTeamMembersOverStreamableHTTP(t *testing.T) {
	d := startLiveDemo(t)
	owner := d.token(t, identity.Claims{Role: caller.Customer, Email: "team@acme.example"})
	billing := d.token(t, identity.Claims{Role: caller.Customer, ExternalCustomerID: "org_acme", ExternalMemberID: "usr_acme_omar"})
	ken := d.token(t, identity.Claims{Role: caller.Customer, Email: "ken@acme.example"})
	lena := d.token(t, identity.Claims{Role: caller.Customer, ExternalCustomerID: "org_acme", ExternalMemberID: "usr_acme_lena"})
	max := d.token(t, identity.Claims{Role: caller.Customer, Email: "max@acme.example"})
	erin := d.token(t, identity.Claims{Role: caller.Customer, Email: "erin@example.com"})
	for _, tc := range []struct {
		name, tok, tool string
		args            map[string]any
		want            []string
		never           []string
	}{
		{"owner status", owner, tools.NameSubscriptionStatus, nil,
			[]string{"where you are the owner", "Seats: 12 in total", "seats go from 12 to 15"}, []string{"ken@", "3C7D"}},
		{"owner portal", owner, tools.NamePortalLink, nil, []string{"customer_session_token="}, nil},
		{"owner benefits", owner, tools.NameBenefits, nil, []string{"PRO-****-****-A001"}, []string{"3C7D", "E41B", "Ken's laptop"}},
		{"billing manager orders", billing, tools.NameOrderHistory, nil, []string{"NWC-0008"}, nil},
		{"billing manager cancel", billing, tools.NameManageSubscription, map[string]any{"action": "cancel"}, []string{"customer_session_token=", "To cancel"}, nil},
		{"claimed member status", ken, tools.NameSubscriptionStatus, nil, []string{"Your seat is active", "Only the team's owner or a billing manager"}, []string{"Seats: 12"}},
		{"claimed member orders", ken, tools.NameOrderHistory, nil, []string{"Only the team's owner or a billing manager"}, []string{"NWC-"}},
		{"claimed member cancel", ken, tools.NameManageSubscription, map[string]any{"action": "cancel"}, []string{"Only the team's owner or a billing manager can cancel"}, []string{"https://"}},
		{"claimed member portal", ken, tools.NamePortalLink, nil, []string{"customer_session_token="}, nil},
		{"pending member status", lena, tools.NameSubscriptionStatus, nil, []string{"before the invitation expires on 30 Nov 2026"}, nil},
		{"revoked member status", max, tools.NameSubscriptionStatus, nil, []string{"Your seat was revoked on 22 Nov 2026"}, nil},
		{"member and customer status", erin, tools.NameSubscriptionStatus, nil, []string{"has no subscriptions", "You are also a member of the team account Acme Robotics"}, nil},
		{"member and customer benefits", erin, tools.NameBenefits, nil, []string{"PRO-****-****-E41B"}, []string{"A001", "3C7D"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text, isErr := d.call(t, "/mcp", tc.tok, tc.tool, tc.args)
			if isErr {
				t.Fatalf("isError: %s", text)
			}
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("lacks %q:\n%s", w, text)
				}
			}
			for _, n := range tc.never {
				if strings.Contains(text, n) {
					t.Errorf("shows %q:\n%s", n, text)
				}
			}
		})
	}
}
