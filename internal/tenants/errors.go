package tenants

import (
	"errors"
	"fmt"
	"strings"

	"github.com/polar-mcp/polar-mcp/internal/tenants/connections"
)

// Errors from connecting and checking. Test for them with errors.Is (and
// errors.As for *MissingScopesError). Input mistakes wrap
// connections.ErrInvalid; an unknown or disabled connection wraps
// connections.ErrNotFound or connections.ErrDisabled. No error names a
// token or a secret.
var (
	// ErrUnauthorized means Polar answered 401 to the token: it is wrong,
	// revoked, or from the other environment.
	ErrUnauthorized = errors.New("invalid API key: Polar rejected the access token (401)")
	// ErrUpstream means Polar could not be asked (network error, timeout,
	// rate limit, 5xx): nothing was concluded and nothing saved.
	ErrUpstream = errors.New("could not check the token with Polar")
	// ErrUnknownConnection means the connection a request names does
	// not exist, was removed, or is disabled (Router.Resolve).
	ErrUnknownConnection = errors.New("unknown connection")
)

// unauthorized wraps ErrUnauthorized with what to check.
func unauthorized(env connections.Environment) error {
	other := connections.Production
	where, otherWhere := "Test Mode (sandbox.polar.sh)", "polar.sh"
	if env == connections.Production {
		other, where, otherWhere = connections.Sandbox, "polar.sh", "Test Mode (sandbox.polar.sh)"
	}
	return fmt.Errorf("%w. Check that you pasted the whole token (it starts with polar_), that it has not been "+
		"revoked, and that it was created in %s: this server or connection uses %s, and a token created in %s only works "+
		"with environment %s", ErrUnauthorized, where, env, otherWhere, other)
}

// MissingScopesError names the required scopes Polar refused.
type MissingScopesError struct {
	Scopes []string
}

func (e *MissingScopesError) Error() string {
	return fmt.Sprintf("the access token is missing the scope(s) %s. In Polar, go to Settings → General → "+
		"Developers and create a new token (editing the scopes of an existing one is not enough) with %s, "+
		"then connect again", strings.Join(e.Scopes, ", "), strings.Join(RequiredScopes(), ", "))
}

// invalid wraps connections.ErrInvalid with a message.
func invalid(format string, a ...any) error {
	return fmt.Errorf("%w: %s", connections.ErrInvalid, fmt.Sprintf(format, a...))
}
