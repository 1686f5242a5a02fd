package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
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

// TestTeamMemberOverStdio runs the built binary over stdio as a member of
// the demo's team, named by POLAR_MCP_CUSTOMER_EXTERNAL_ID and
// POLAR_MCP_MEMBER_EXTERNAL_ID, and as one named by email.
func TestTeamMemberOverStdio(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and spawns the binary")
	}
	bin := buildBinary(t)
	for name, tc := range map[string]struct {
		env  []string
		tool string
		want string
	}{
		"member by external ids": {[]string{"POLAR_MCP_CUSTOMER_EXTERNAL_ID=org_acme", "POLAR_MCP_MEMBER_EXTERNAL_ID=usr_acme_ken"},
			tools.NameBenefits, "PRO-****-****-3C7D"},
		"member by email": {[]string{"POLAR_MCP_CUSTOMER_EMAIL=max@acme.example"},
			tools.NameSubscriptionStatus, "Your seat was revoked on 22 Nov 2026"},
		"owner's portal": {[]string{"POLAR_MCP_CUSTOMER_EMAIL=team@acme.example"},
			tools.NamePortalLink, "customer_session_token="},
	} {
		t.Run(name, func(t *testing.T) {
			c, _, ctx := stdioClient(t, bin, append(cleanEnv(), tc.env...), "stdio", "--demo")
			req := mcp.CallToolRequest{}
			req.Params.Name = tc.tool
			res, err := c.CallTool(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			if text := testkit.Text(res); res.IsError || !strings.Contains(text, tc.want) {
				t.Fatalf("%s: isError %v, %s", tc.tool, res.IsError, text)
			}
		})
	}
}

// TestPaddedMemberExternalIDIsRefused: the member id is taken exactly; one
// with a space is refused at start rather than trimmed into another's.
func TestPaddedMemberExternalIDIsRefused(t *testing.T) {
	t.Setenv("POLAR_MCP_CUSTOMER_EXTERNAL_ID", "org_acme")
	t.Setenv("POLAR_MCP_MEMBER_EXTERNAL_ID", "usr_acme_ken ")
	t.Chdir(t.TempDir()) // no polar-mcp.yaml
	var stdout, stderr bytes.Buffer
	code := run([]string{"stdio", "--demo"}, strings.NewReader(""), &stdout, &stderr)
	if code != exitUsage || !strings.Contains(stderr.String(), "POLAR_MCP_MEMBER_EXTERNAL_ID") {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	t.Setenv("POLAR_MCP_CUSTOMER_EXTERNAL_ID", "")
	t.Setenv("POLAR_MCP_MEMBER_EXTERNAL_ID", "usr_acme_ken")
	stderr.Reset()
	if code := run([]string{"stdio", "--demo"}, strings.NewReader(""), &stdout, &stderr); code != exitUsage ||
		!strings.Contains(stderr.String(), "needs it") {
		t.Fatalf("member id without its team: exit %d, stderr %q", code, stderr.String())
	}
}
