package tenants

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/tenants/connections"
	"github.com/polar-mcp/polar-mcp/polar"
)

// RequiredScopes are the scopes a connection's token must have: every
// read scope the tools use and customer_sessions:write.
func RequiredScopes() []string { return polar.RequiredScopes() }

// optionalScopes may be missing: the connection is saved with a warning,
// and the tools that need the scope explain how to fix it.
func optionalScopes() []string { return []string{polar.ScopeCustomerSessionsWrite} }

// portalWarning is the warning for a token without customer_sessions:write.
const portalWarning = "the token lacks customer_sessions:write (only that scope creates customer sessions; " +
	"customer_portal:write is a different scope): " +
	"portal links (get_customer_portal_link, manage_subscription) will tell callers they are unavailable " +
	"until you create a new token with that scope; the other tools work"

// Verdict is what a probe of a token found.
type Verdict struct {
	Organization connections.Organization
	// Scopes are the scopes found to work.
	Scopes []string
	// Missing are the required scopes Polar refused.
	Missing []string
	// MissingOptional are the optional scopes Polar refused
	// (license_keys:read): nothing stops, some answers say less.
	MissingOptional []string
	// Warnings explain missing scopes that do not stop the connection.
	Warnings []string
}

// checkTokenShape refuses, before any request, what cannot be a Polar
// organization access token. The message never quotes the token.
// maxTokenLen bounds a Polar access token (they are under 100 bytes).
const maxTokenLen = 1024

func checkTokenShape(token string) (string, error) {
	token = strings.TrimSpace(token)
	switch {
	case token == "":
		return "", invalid("a Polar access token is required (Polar → Settings → General → Developers → New Token)")
	case strings.IndexFunc(token, func(r rune) bool { return r <= ' ' || r >= 0x7f }) >= 0:
		// A header could not carry it: refused before Polar is asked.
		return "", invalid("the token contains spaces, control characters (such as a line break) or non-ASCII " +
			"characters: paste the Polar access token alone, on one line")
	case len(token) > maxTokenLen:
		return "", invalid("the token is longer than %d bytes: paste the Polar access token alone", maxTokenLen)
	case config.CheckAccessToken(token) != nil:
		return "", invalid("this does not look like a Polar access token: %v "+
			"(create one in Polar → Settings → General → Developers)", config.CheckAccessToken(token))
	}
	return token, nil
}

// licenseWarning is the warning for a token without license_keys:read.
const licenseWarning = "the token lacks the optional license_keys:read: license-key benefits are listed " +
	"without activations, usage or expiry; create a new token with that scope to add them"

// OptionalScopes are the scopes a token may lack with a warning: the
// tools that need them say they are unavailable, the others work.
func OptionalScopes() []string {
	return append(optionalScopes(), polar.ScopeLicenseKeysRead)
}

// VerifyToken probes a token's adapter as connections add and check do,
// without a store: polar-mcp check uses it for the single merchant. It
// returns the verdict, and ErrUnauthorized, ErrUpstream or a
// *MissingScopesError (with the verdict) as verify does.
func VerifyToken(ctx context.Context, adapter Adapter, env connections.Environment) (Verdict, error) {
	return verify(ctx, adapter, env)
}

// verify probes token with adapter and sorts the result: a 401 is
// ErrUnauthorized, an inconclusive answer ErrUpstream, and missing
// required scopes a *MissingScopesError, returned with the verdict so
// that a check can still record what works.
func verify(ctx context.Context, adapter Adapter, env connections.Environment) (Verdict, error) {
	p, err := adapter.Probe(ctx)
	if err != nil {
		if pe, ok := polar.AsError(err); ok && pe.Kind == polar.KindUnauthorized {
			return Verdict{}, unauthorized(env)
		}
		return Verdict{}, fmt.Errorf("%w: %v", ErrUpstream, err)
	}
	v := Verdict{
		Organization: connections.Organization{ID: p.OrganizationID, Name: p.OrganizationName},
		Scopes:       slices.Clone(p.Granted),
		Missing:      slices.Clone(p.Missing),
	}
	if len(p.MissingOptional) > 0 {
		v.MissingOptional = slices.Clone(p.MissingOptional)
		v.Warnings = append(v.Warnings, licenseWarning)
	}
	var blocking []string
	for _, s := range p.Missing {
		if slices.Contains(optionalScopes(), s) {
			v.Warnings = append(v.Warnings, portalWarning)
			continue
		}
		blocking = append(blocking, s)
	}
	if len(blocking) > 0 {
		return v, &MissingScopesError{Scopes: blocking}
	}
	return v, nil
}
