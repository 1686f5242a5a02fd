package hosted

import (
	"context"

	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// Issuer verifies the tokens of an external OpenID Connect issuer.
// *identity.Issuer is one.
type Issuer interface {
	// URL is the issuer identifier, listed in the protected resource
	// metadata's authorization_servers.
	URL() string
	// Scopes are the metadata's scopes_supported.
	Scopes() []string
	// Verify returns the caller token names, an *identity.Error when it is
	// refused, or another error when the issuer cannot be reached.
	Verify(ctx context.Context, token string, p identity.Policy) (caller.Identity, error)
}

// Connection is what the edge resolves once per request for the connection
// it was routed to: the key that verifies its caller tokens, and Bind,
// which puts the connection's collaborators (its Polar adapter) in the
// context of a request whose token has been verified. Nothing below the
// edge looks the connection up again.
type Connection struct {
	Secret []byte
	// Bind, when not nil, returns ctx carrying the connection's
	// request-scoped values.
	Bind func(ctx context.Context) context.Context
}

// ResolveFunc resolves connection: "" in single-merchant mode, the
// connection id in per-connection mode. It returns an *identity.Error of
// KindUnknownAudience when there is no such connection (answered 404).
type ResolveFunc func(ctx context.Context, connection string) (Connection, error)

// Static is the ResolveFunc of single-merchant mode: every token is signed
// with secret (POLAR_MCP_TOKEN_SECRET), and bind, when not nil, binds the
// one organization's collaborators. The secret is copied.
func Static(secret []byte, bind func(context.Context) context.Context) (ResolveFunc, error) {
	secrets, err := identity.StaticSecret(secret)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, connection string) (Connection, error) {
		s, err := secrets(ctx, connection)
		return Connection{Secret: s, Bind: bind}, err
	}, nil
}
