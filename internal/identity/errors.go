package identity

import "errors"

// Kind classifies why a caller token was refused.
type Kind int

// The reasons a token is refused.
const (
	KindMissingToken    Kind = iota + 1 // no token at all
	KindMalformed                       // not a JWT, or claims of the wrong type
	KindAlgorithm                       // alg is not HS256, nor an issuer's RS256, ES256 or EdDSA (alg "none" included)
	KindSignature                       // signed with another secret, or tampered with
	KindExpired                         // exp is in the past, or missing
	KindNotYetValid                     // iat or nbf is in the future
	KindAudience                        // aud is not the connection the token was presented to
	KindUnknownAudience                 // no secret for that connection (SecretFunc)
	KindUnknownRole                     // role is neither customer nor agent
	KindMissingEmail                    // a customer token with neither an email nor an external id
	KindUnverifiedEmail                 // a customer token whose email_verified is not true
	KindAmbiguousClaims                 // a duplicate claim, or a known claim spelled in another case
	KindCritical                        // a crit header: extensions this verifier does not implement (RFC 7515)
	KindLifetime                        // exp lies further ahead than the maximum token lifetime
	KindInvalidEmail                    // the email claim is not a bare address
	KindInvalidClaim                    // a claim has the wrong type or an unusable value
	KindIssuer                          // iss is missing or not the configured OpenID Connect issuer
)

// Error is a refused token. Its message never contains the token or the
// secret.
type Error struct {
	Kind   Kind
	Detail string // extra context, may be empty
}

func (e *Error) Error() string {
	msg := "auth: " + e.Kind.String()
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Is makes errors.Is(err, &Error{Kind: k}) match any Error of kind k.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Kind == e.Kind
}

// KindOf returns the kind of a refusal, or 0 when err is not an *Error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}

func (k Kind) String() string {
	switch k {
	case KindMissingToken:
		return "missing bearer token"
	case KindMalformed:
		return "malformed token"
	case KindAlgorithm:
		return "token algorithm is not accepted"
	case KindSignature:
		return "token signature is invalid"
	case KindExpired:
		return "token expired, or has no exp claim"
	case KindNotYetValid:
		return "token is not valid yet"
	case KindAudience:
		return "token was issued for another connection"
	case KindUnknownAudience:
		return "unknown connection"
	case KindUnknownRole:
		return "unknown role"
	case KindMissingEmail:
		return "customer token has neither email nor external_customer_id"
	case KindUnverifiedEmail:
		return "customer email is not verified"
	case KindAmbiguousClaims:
		return "token claims are ambiguous"
	case KindCritical:
		return "token has a crit header"
	case KindLifetime:
		return "token lifetime exceeds the maximum"
	case KindInvalidEmail:
		return "email claim is not an email address"
	case KindInvalidClaim:
		return "token claim is invalid"
	case KindIssuer:
		return "token was not issued by the configured issuer"
	default:
		return "invalid token"
	}
}

func refuse(k Kind, detail string) error {
	return &Error{Kind: k, Detail: detail}
}
