package hosted

import (
	"bytes"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// TestTeamMembersAreDifferentCallers: two members of one team customer
// (same external_customer_id, no sub) never share a session binding or a
// caller's limits; a caller without a member id keeps its binding.
func TestTeamMembersAreDifferentCallers(t *testing.T) {
	secret := bytes.Repeat([]byte("s"), 32)
	ken := caller.Identity{Role: caller.Customer, ExternalID: "org_acme", MemberExternalID: "usr_acme_ken"}
	omar := caller.Identity{Role: caller.Customer, ExternalID: "org_acme", MemberExternalID: "usr_acme_omar"}
	team := caller.Identity{Role: caller.Customer, ExternalID: "org_acme"}
	if bytes.Equal(newSessionKey(secret, ken).key, newSessionKey(secret, omar).key) ||
		bytes.Equal(newSessionKey(secret, ken).key, newSessionKey(secret, team).key) {
		t.Error("two members of one team share a session binding")
	}
	if callerKey(ken) == callerKey(omar) || callerKey(ken) == callerKey(team) {
		t.Error("two members of one team share the per-caller limits")
	}
	if callerKey(team) != "\x00customer\x00\x00org_acme\x00" {
		t.Errorf("a caller without a member id changed key: %q", callerKey(team))
	}
}
