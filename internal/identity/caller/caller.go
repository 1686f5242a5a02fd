// Package caller is who is calling polar-mcp: the verified identity a
// transport puts in a request's context (configuration on stdio, a signed
// token over HTTP), never anything a tool argument says.
//
// It depends only on config (which owns the role names and the syntax of
// emails and external ids): identity, hosted, tools and tenants all
// depend on it, and it depends on none of them. It owns the Role type and
// the one rule by which email addresses are normalized and compared.
package caller

import (
	"context"
	"fmt"

	"github.com/polar-mcp/polar-mcp/config"
)

// Role is what a caller may do.
type Role string

// The two roles.
const (
	Customer Role = config.RoleCustomer // acts for one verified customer only
	Agent    Role = config.RoleAgent    // a merchant's support agent: names the customer
)

// ParseRole returns the role named s ("customer" or "agent", exactly).
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case Customer, Agent:
		return r, nil
	default:
		return "", fmt.Errorf("role must be %q or %q", Customer, Agent)
	}
}

// Identity is a verified caller.
type Identity struct {
	// Role is what the caller may do.
	Role Role
	// Email is the caller's verified email address, normalized
	// (NormalizeEmail). Customers have it, an external id, or both.
	Email string
	// ExternalID is the customer's id in the merchant's own system
	// (Polar's customer external_id).
	ExternalID string
	// MemberExternalID is the merchant's own id of the member of a team
	// customer the caller is (Polar's member external_id, unique within
	// the customer named by ExternalID). Set only with ExternalID.
	MemberExternalID string
	// Connection is the merchant connection the request was routed to;
	// empty in single-merchant mode and on stdio.
	Connection string
	// Subject is who the token says the caller is (its sub). For an agent
	// token without sub it is the token's jti, else a digest of the token,
	// so that two agents never share a session; empty on stdio. Sessions
	// are bound to it.
	Subject string
	// Locale is the caller's BCP 47 language tag; empty means English.
	Locale string
	// Operator marks the operator's own session (stdio, polar-mcp call):
	// its reader set polar-mcp up, so a customer session of theirs is told
	// the merchant's setup problems. Never set for a caller token.
	Operator bool
}

type identityKey struct{}

// With returns ctx carrying id, its email normalized.
func With(ctx context.Context, id Identity) context.Context {
	id.Email = NormalizeEmail(id.Email)
	return context.WithValue(ctx, identityKey{}, id)
}

// From returns the caller's identity, if the transport set one.
func From(ctx context.Context) (Identity, bool) {
	id, ok := ctx.Value(identityKey{}).(Identity)
	return id, ok
}

// ConnectionFrom returns the connection id of a request routed to a
// merchant connection; ok is false in single-merchant mode.
func ConnectionFrom(ctx context.Context) (string, bool) {
	id, ok := From(ctx)
	return id.Connection, ok && id.Connection != ""
}
