// Package auth mints and verifies the signed tokens that carry a hosted
// caller's identity.
//
// A token is an HS256 JWT whose claims are role ("customer" or "agent"),
// email, email_verified, exp, iat and, in multi-merchant mode, aud (the
// connection id). The integrator that knows who the end user is (the
// chatbot platform) mints it with the shared secret; polar-mcp verifies it
// on every HTTP request and never takes identity from tool arguments.
package auth

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/polar-mcp/polar-mcp/tools"
)

// Leeway is the clock skew tolerated on exp, iat and nbf.
const Leeway = 30 * time.Second

// Algorithm is the only signing algorithm minted and accepted.
const Algorithm = "HS256"

// Claims are what a token says about its bearer.
type Claims struct {
	Role          tools.Role
	Email         string
	EmailVerified bool
	// Audience is the connection id the token is valid for in
	// multi-merchant mode; empty in single-merchant mode.
	Audience string
}

// tokenClaims is the JSON form of Claims.
type tokenClaims struct {
	Role          string `json:"role"`
	Email         string `json:"email,omitempty"`
	EmailVerified bool   `json:"email_verified"`
	jwt.RegisteredClaims
}

// Mint signs c into a token valid from now for ttl. It refuses claims that
// Verify would refuse, so a minted token is always usable.
func Mint(secret []byte, c Claims, ttl time.Duration, now time.Time) (string, error) {
	if err := CheckSecret(secret); err != nil {
		return "", err
	}
	if ttl <= 0 {
		return "", errors.New("auth: token lifetime must be positive")
	}
	if _, err := identity(c.Role, c.Email, c.EmailVerified); err != nil {
		return "", err
	}
	tc := tokenClaims{
		Role:          string(c.Role),
		Email:         strings.TrimSpace(c.Email),
		EmailVerified: c.EmailVerified,
		RegisteredClaims: jwt.RegisteredClaims{
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
		},
	}
	if c.Audience != "" {
		tc.Audience = jwt.ClaimStrings{c.Audience}
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, tc).SignedString(secret)
}

// Verify checks token against secret at time now (time.Now when zero) and
// returns the caller it names. When audience is not empty the token's aud
// must contain it. Refusals are *Error values; a secret shorter than
// MinSecretLen is a configuration error of another type.
func Verify(secret []byte, token, audience string, now time.Time) (tools.Identity, error) {
	if strings.TrimSpace(token) == "" {
		return tools.Identity{}, refuse(KindMissingToken, "")
	}
	if err := CheckSecret(secret); err != nil {
		return tools.Identity{}, err
	}
	if now.IsZero() {
		now = time.Now()
	}
	opts := []jwt.ParserOption{
		jwt.WithValidMethods([]string{Algorithm}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(Leeway),
		jwt.WithTimeFunc(func() time.Time { return now }),
	}
	if audience != "" {
		opts = append(opts, jwt.WithAudience(audience))
	}
	var tc tokenClaims
	tok, err := jwt.NewParser(opts...).ParseWithClaims(token, &tc, func(*jwt.Token) (any, error) {
		return secret, nil
	})
	if err != nil {
		return tools.Identity{}, classify(tok, &tc, err)
	}
	return identity(tools.Role(tc.Role), tc.Email, tc.EmailVerified)
}

// classify turns a jwt error into a refusal of the matching kind.
func classify(tok *jwt.Token, tc *tokenClaims, err error) error {
	switch {
	case tok == nil || errors.Is(err, jwt.ErrTokenMalformed):
		return refuse(KindMalformed, "")
	case tok.Header["alg"] != Algorithm:
		return refuse(KindAlgorithm, fmt.Sprintf("got %q", fmt.Sprint(tok.Header["alg"])))
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return refuse(KindSignature, "")
	case errors.Is(err, jwt.ErrTokenExpired):
		return refuse(KindExpired, "")
	case tc.ExpiresAt == nil:
		return refuse(KindExpired, "the token has no exp claim")
	case errors.Is(err, jwt.ErrTokenUsedBeforeIssued), errors.Is(err, jwt.ErrTokenNotValidYet):
		return refuse(KindNotYetValid, "")
	case errors.Is(err, jwt.ErrTokenInvalidAudience), errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return refuse(KindAudience, "")
	default:
		return refuse(KindMalformed, "")
	}
}

// identity applies the role rules: a customer needs a verified email, an
// agent may have an email or not.
func identity(role tools.Role, email string, verified bool) (tools.Identity, error) {
	email = tools.NormalizeEmail(email)
	switch role {
	case tools.RoleCustomer:
		if email == "" {
			return tools.Identity{}, refuse(KindMissingEmail, "")
		}
		if !verified {
			return tools.Identity{}, refuse(KindUnverifiedEmail, "")
		}
	case tools.RoleAgent:
	default:
		return tools.Identity{}, refuse(KindUnknownRole, `role must be "customer" or "agent"`)
	}
	return tools.Identity{Role: role, Email: email}, nil
}
