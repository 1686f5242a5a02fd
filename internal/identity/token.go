// Package auth mints and verifies the signed tokens that carry a hosted
// caller's identity.
//
// A token is an HS256 JWT. Its claims are role ("customer" or "agent"),
// email and email_verified, external_customer_id (the merchant's own user
// id), external_member_id (the member of a team customer, exact), sub or jti (who the token is: sessions are bound to it), locale,
// exp (required, at most Policy.MaxTTL ahead), iat, nbf and, in
// multi-merchant mode, aud (the connection id). The integrator that knows
// who the end user is (the chatbot platform) mints it with the shared
// secret; polar-mcp verifies it on every HTTP request and never takes
// identity from tool arguments. Claim names are exact: a duplicate, or a
// known claim in another spelling, is refused, as is a crit header.
package identity

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// Leeway is the clock skew tolerated on exp, iat and nbf.
const Leeway = 30 * time.Second

// Algorithm is the only signing algorithm minted and accepted.
const Algorithm = "HS256"

// Claims are what a token says about its bearer.
type Claims struct {
	Role          caller.Role
	Email         string
	EmailVerified bool
	// ExternalCustomerID is the merchant's own user id for a customer
	// (Polar's customer external_id).
	ExternalCustomerID string
	// ExternalMemberID is the merchant's own id for the member of a team
	// customer the bearer is (Polar's member external_id); it needs
	// ExternalCustomerID and is sent exactly as given.
	ExternalMemberID string
	// Subject is the token's sub: who the caller is in the integrator's
	// system. Mint adds a random jti when it is empty.
	Subject string
	// Locale is a BCP 47 tag for answers, e.g. "de-DE".
	Locale string
	// Audience is the connection id the token is valid for in
	// multi-merchant mode; empty in single-merchant mode.
	Audience string
}

// Policy is what Verify checks beyond the signature.
type Policy struct {
	// Audience, when not empty, must be in the token's aud; when empty,
	// the token must have no aud.
	Audience string
	// MaxTTL is the longest time exp may lie ahead; config.DefaultTokenMaxTTL when
	// zero.
	MaxTTL time.Duration
	// Now is the time of the check; time.Now when zero.
	Now time.Time
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
	mc := jwt.MapClaims{
		"role": string(c.Role),
		"iat":  now.Unix(),
		"exp":  now.Add(ttl).Unix(),
	}
	set := func(k, v string) {
		if v = strings.TrimSpace(v); v != "" {
			mc[k] = v
		}
	}
	set("email", c.Email)
	set("external_customer_id", c.ExternalCustomerID)
	if c.ExternalMemberID != "" {
		mc["external_member_id"] = c.ExternalMemberID // exact, never trimmed
	}
	set("sub", c.Subject)
	set("locale", c.Locale)
	set("aud", c.Audience)
	if c.Email != "" {
		mc["email_verified"] = c.EmailVerified
	}
	if c.Subject == "" {
		mc["jti"] = rand.Text()
	}
	if _, err := identityOf(mc, ""); err != nil {
		return "", err
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, mc).SignedString(secret)
}

// Verify checks token against secret and p, and returns the caller it
// names. Refusals are *Error values; a secret shorter than config.MinTokenSecret is
// a configuration error of another type.
func Verify(secret []byte, token string, p Policy) (caller.Identity, error) {
	if strings.TrimSpace(token) == "" {
		return caller.Identity{}, refuse(KindMissingToken, "")
	}
	if err := CheckSecret(secret); err != nil {
		return caller.Identity{}, err
	}
	now := p.Now
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
	if p.Audience != "" {
		opts = append(opts, jwt.WithAudience(p.Audience))
	}
	mc := jwt.MapClaims{}
	tok, err := jwt.NewParser(opts...).ParseWithClaims(token, mc, func(*jwt.Token) (any, error) {
		return secret, nil
	})
	if err != nil {
		return caller.Identity{}, classify(tok, mc, err)
	}
	if err := checkStrict(token); err != nil {
		return caller.Identity{}, err
	}
	if _, ok := mc["aud"]; ok && p.Audience == "" {
		// A token aimed at a connection is for /c/{id}/ only.
		return caller.Identity{}, refuse(KindAudience, "a token with aud is for its connection's endpoint")
	}
	if err := checkLifetime(mc, now, p.MaxTTL); err != nil {
		return caller.Identity{}, err
	}
	return identityOf(mc, tokenDigest(token))
}

// checkLifetime refuses a token whose exp lies further ahead than maxTTL
// (plus Leeway): a token valid for years is a leaked token valid for years.
func checkLifetime(mc jwt.MapClaims, now time.Time, maxTTL time.Duration) error {
	if maxTTL <= 0 {
		maxTTL = config.DefaultTokenMaxTTL
	}
	exp, err := mc.GetExpirationTime()
	if err != nil || exp == nil {
		return refuse(KindExpired, "the token has no usable exp claim")
	}
	if exp.Sub(now) > maxTTL+Leeway {
		return refuse(KindLifetime, fmt.Sprintf("exp is more than %s ahead", maxTTL))
	}
	return nil
}

// classify turns a jwt error into a refusal of the matching kind.
func classify(tok *jwt.Token, mc jwt.MapClaims, err error) error {
	switch {
	case tok == nil || errors.Is(err, jwt.ErrTokenMalformed):
		return refuse(KindMalformed, "")
	case tok.Header["alg"] != Algorithm:
		return refuse(KindAlgorithm, fmt.Sprintf("got %q", fmt.Sprint(tok.Header["alg"])))
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return refuse(KindSignature, "")
	default:
		return claimsErr(mc, err)
	}
}

// claimsErr turns a failed claims validation into a refusal of the
// matching kind; both verifiers use it.
func claimsErr(mc jwt.MapClaims, err error) error {
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return refuse(KindExpired, "")
	case mc["exp"] == nil:
		return refuse(KindExpired, "the token has no exp claim")
	case errors.Is(err, jwt.ErrTokenUsedBeforeIssued), errors.Is(err, jwt.ErrTokenNotValidYet):
		return refuse(KindNotYetValid, "")
	case errors.Is(err, jwt.ErrTokenInvalidAudience), errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return refuse(KindAudience, "")
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return refuse(KindIssuer, "")
	case errors.Is(err, jwt.ErrTokenInvalidClaims):
		return refuse(KindInvalidClaim, "")
	default:
		return refuse(KindMalformed, "")
	}
}

// tokenDigest names a token that carries neither sub nor jti, so that its
// sessions are its own.
func tokenDigest(token string) string {
	sum := sha256.Sum256([]byte(token))
	return "token:" + base64.RawURLEncoding.EncodeToString(sum[:12])
}
