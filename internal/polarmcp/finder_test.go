package polarmcp

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/tools"
)

// TestFinderOverStreamableHTTP: over streamable HTTP with signed tokens,
// as a helpdesk integration connects, an agent has find_customers and
// every kind of query costs one request to Polar; a customer's tools/list
// lacks it, and their call is refused before anything reaches Polar.
func TestFinderOverStreamableHTTP(t *testing.T) {
	d := startLiveDemo(t)
	agent := d.token(t, identity.Claims{Role: caller.Agent, Subject: "agent-7"})
	customer := d.token(t, identity.Claims{Role: caller.Customer, Email: "alice@example.com"})
	has := func(tok string) bool {
		c := testkit.MCPClient(t, d.base+"/mcp", tok)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		list, err := c.ListTools(ctx, mcp.ListToolsRequest{})
		if err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(list.Tools, func(tl mcp.Tool) bool { return tl.Name == tools.NameFindCustomers })
	}
	if !has(agent) || has(customer) {
		t.Fatalf("find_customers offered: agent %v, customer %v", has(agent), has(customer))
	}
	// Polar requests a search made, leaving out the organization probes
	// the server makes on its own.
	searched := func() []string {
		var out []string
		for _, r := range d.fake.Requests() {
			if !strings.HasPrefix(r.Path, "/v1/organizations/") {
				out = append(out, r.Method+" "+r.Path)
			}
		}
		return out
	}
	d.fake.ResetRequests()
	// The tool does not exist for them: a protocol error, as for any
	// unknown tool.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	text, isErr, err := testkit.CallTool(ctx, testkit.MCPClient(t, d.base+"/mcp", customer), tools.NameFindCustomers, map[string]any{"query": "Miller"})
	if err == nil && !isErr || strings.Contains(text, "Frank") {
		t.Errorf("a customer's search: %v %v %s", err, isErr, text)
	}
	if reqs := searched(); len(reqs) != 0 {
		t.Errorf("a customer's search reached Polar: %v", reqs)
	}
	for _, tc := range []struct{ query, want, request string }{
		{"Miller", "Frank Miller", "GET /v1/customers/"},
		{"c1000000-0001-4000-8007-000000000007", "Frank Miller", "GET /v1/customers/c1000000-0001-4000-8007-000000000007/state"},
		{"order 0d000000-0001-4000-8010-000000000016", "API Usage (active)", "GET /v1/orders/0d000000-0001-4000-8010-000000000016"},
		{"external:usr_1007", "Frank Miller", "GET /v1/customers/external/usr_1007/state"},
		{"Zebedee Quux", `No customer matches "Zebedee Quux"`, "GET /v1/customers/"},
	} {
		d.fake.ResetRequests()
		text, isErr := d.call(t, "/mcp", agent, tools.NameFindCustomers, map[string]any{"query": tc.query})
		if isErr || !strings.Contains(text, tc.want) {
			t.Errorf("%q: %v %s", tc.query, isErr, text)
		}
		if reqs := searched(); !slices.Equal(reqs, []string{tc.request}) {
			t.Errorf("%q cost %v, want [%s]", tc.query, reqs, tc.request)
		}
	}
}
