package main

import (
	"bytes"
	"strings"
	"testing"
)

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
