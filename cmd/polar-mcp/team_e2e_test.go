//go:build e2e

package main

import (
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/tools"
)

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
