package observe_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/tools"
)

// TestSearchIsAuditedLikeALookup: an agent's find_customers call writes
// the audit line of a lookup, naming every customer the answer showed by
// Polar id (none for a search that matched nobody), and no email or query
// text is logged.
func TestSearchIsAuditedLikeALookup(t *testing.T) {
	h := newHarness(t, nil)
	agent := caller.Identity{Role: caller.Agent, Connection: "conn_1", Subject: "agent-7"}
	h.call(t, agent, tools.NameFindCustomers, map[string]any{"query": "alice@example.com"})
	h.call(t, agent, tools.NameFindCustomers, map[string]any{"query": "Zebedee"})
	var audits []map[string]any
	for line := range strings.Lines(h.logs.String()) {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		if m["msg"] == "agent lookup" {
			audits = append(audits, m)
		}
	}
	if len(audits) != 2 {
		t.Fatalf("%d audit lines, want 2:\n%s", len(audits), h.logs)
	}
	if a := audits[0]; a["tool"] != tools.NameFindCustomers || a["customer_id"] != aliceID || a["customer_found"] != true ||
		a["agent_subject"] != "agent-7" {
		t.Errorf("audit line of a search = %v", a)
	}
	if a := audits[1]; a["customer_id"] != "" || a["customer_found"] != false {
		t.Errorf("audit line of a search that found nobody = %v", a)
	}
	if s := h.logs.String(); strings.Contains(s, "@") || strings.Contains(s, "Zebedee") {
		t.Errorf("an email or a query was logged:\n%s", s)
	}
}
