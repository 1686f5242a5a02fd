package tools

import (
	"context"
	"strings"
)

// Role is what a caller may do.
type Role string

// The two roles.
const (
	RoleCustomer Role = "customer" // acts for one verified email only
	RoleAgent    Role = "agent"    // a merchant's support agent
)

// Identity is a verified caller. It comes from the transport (configuration
// on stdio, a signed token over HTTP), never from tool arguments.
type Identity struct {
	Role  Role
	Email string // verified email; required for customers
}

type identityKey struct{}

// WithIdentity returns ctx carrying id.
func WithIdentity(ctx context.Context, id Identity) context.Context {
	id.Email = NormalizeEmail(id.Email)
	return context.WithValue(ctx, identityKey{}, id)
}

// IdentityFrom returns the caller's identity, if the transport set one.
func IdentityFrom(ctx context.Context) (Identity, bool) {
	id, ok := ctx.Value(identityKey{}).(Identity)
	return id, ok
}

// NormalizeEmail trims an address and folds its case, the way customers
// are matched.
func NormalizeEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}
