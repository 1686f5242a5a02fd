package identity

import (
	"strings"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/text/language"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// maxClaimLen bounds a string claim.
const maxClaimLen = 320

// identityOf applies the identity rules to verified claims. A customer
// needs a verified email address, an external customer id, or both (and
// with both, the tools check they name one Polar customer); an agent may
// carry an email of its own. digest names the token when it has neither
// sub nor jti. Claims are taken exactly as signed; only the email is
// trimmed (and lowercased), as NormalizeEmail documents.
func identityOf(mc jwt.MapClaims, digest string) (caller.Identity, error) {
	str := func(k string) (string, error) {
		v, ok := mc[k]
		if !ok || v == nil {
			return "", nil
		}
		s, ok := v.(string)
		if !ok || len(s) > maxClaimLen {
			return "", refuse(KindMalformed, k+" must be a string of at most 320 bytes")
		}
		return s, nil // exact: " agent" is no role, " usr_1" no id
	}
	var id caller.Identity
	var role string
	var err error
	for _, f := range []struct {
		key string
		dst *string
	}{{"role", &role}, {"email", &id.Email}, {"external_customer_id", &id.ExternalID},
		{"external_member_id", &id.MemberExternalID}, {"sub", &id.Subject}, {"locale", &id.Locale}} {
		if *f.dst, err = str(f.key); err != nil {
			return caller.Identity{}, err
		}
	}
	id.Email = strings.TrimSpace(id.Email) // the one claim trimmed
	if id.Role, err = caller.ParseRole(role); err != nil {
		return caller.Identity{}, refuse(KindUnknownRole, `role must be "customer" or "agent"`)
	}
	// A customer is known by email or external id; a refreshed token for
	// them keeps their sessions. An agent is known by the token itself
	// when it has no sub: two email-less agents never share a session.
	if id.Subject == "" && id.Role == caller.Agent {
		if id.Subject, err = str("jti"); err != nil {
			return caller.Identity{}, err
		}
		if id.Subject == "" {
			id.Subject = digest
		}
	}
	verified, isBool := mc["email_verified"].(bool)
	if _, present := mc["email_verified"]; present && !isBool {
		return caller.Identity{}, refuse(KindMalformed, "email_verified must be true or false")
	}
	if id.Email != "" {
		if config.CheckEmail(id.Email) != nil {
			return caller.Identity{}, refuse(KindInvalidEmail, "")
		}
		id.Email = caller.NormalizeEmail(id.Email)
	}
	if id.Locale != "" {
		if _, err := language.Parse(id.Locale); err != nil {
			return caller.Identity{}, refuse(KindInvalidClaim, "locale must be a BCP 47 language tag")
		}
	}
	switch id.Role {
	case caller.Customer:
		if id.Email == "" && id.ExternalID == "" {
			return caller.Identity{}, refuse(KindMissingEmail, "")
		}
		if id.Email != "" && !verified {
			return caller.Identity{}, refuse(KindUnverifiedEmail, "")
		}
		if id.ExternalID != "" && config.CheckExternalID(id.ExternalID) != nil {
			return caller.Identity{}, refuse(KindInvalidClaim, "external_customer_id has characters an id cannot have")
		}
		if id.MemberExternalID != "" && id.ExternalID == "" {
			return caller.Identity{}, refuse(KindInvalidClaim, "external_member_id names a member of the customer external_customer_id names, and needs it")
		}
		if id.MemberExternalID != "" && config.CheckExternalID(id.MemberExternalID) != nil {
			return caller.Identity{}, refuse(KindInvalidClaim, "external_member_id has characters an id cannot have")
		}
	case caller.Agent:
		if id.ExternalID != "" || id.MemberExternalID != "" {
			return caller.Identity{}, refuse(KindInvalidClaim, "agent tokens name customers in tool arguments, not external_customer_id or external_member_id")
		}
	}
	return id, nil
}
