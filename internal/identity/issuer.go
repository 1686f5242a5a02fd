package identity

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/golang-jwt/jwt/v5"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// IssuerAlgorithms are the signing algorithms accepted from an OpenID
// Connect issuer.
func IssuerAlgorithms() []string { return []string{"RS256", "ES256", "EdDSA"} }

// DefaultRoleClaim is the claim an issuer's tokens carry the role in when
// IssuerConfig.RoleClaim is empty.
const DefaultRoleClaim = "role"

// discoveryRetry is how long a failed discovery is remembered before the
// next request tries again, so that an unreachable issuer is not asked
// once per request.
const discoveryRetry = 10 * time.Second

// IssuerConfig describes an external OpenID Connect issuer whose tokens
// are accepted as caller tokens.
type IssuerConfig struct {
	// URL is the issuer identifier; its discovery document is at
	// URL/.well-known/openid-configuration and must name the same issuer.
	URL string
	// Audience must be in every token's aud (the client id, or the
	// resource, the issuer mints tokens for). Required.
	Audience string
	// RoleClaim holds "customer" or "agent"; DefaultRoleClaim when empty.
	// A token without it is a customer's.
	RoleClaim string
	// Client fetches discovery and keys; one with a 10s timeout when nil.
	Client *http.Client
	// KeyRefetch is how often, after a burst of three, tokens naming an
	// unknown key may make the keys be fetched; DefaultKeyRefetch when
	// zero.
	KeyRefetch time.Duration
}

// Issuer verifies tokens signed by an OpenID Connect issuer with RS256,
// ES256 or EdDSA. It discovers the issuer's jwks_uri on first use and
// caches its keys; a token signed with a key it has not seen makes it
// fetch the key set again (within a limit, KeyRefetch), so rotated keys
// are picked up and removed ones stop working without a restart. The
// claims are held to the same rules as HS256 tokens (Verify), and iss is
// required as well.
type Issuer struct {
	cfg IssuerConfig

	mu      sync.Mutex
	keys    *remoteKeys
	failed  time.Time // when discovery last failed
	failure error
}

// NewIssuer checks cfg; it does not reach the issuer (see Issuer).
func NewIssuer(cfg IssuerConfig) (*Issuer, error) {
	cfg.URL = strings.TrimSpace(cfg.URL)
	cfg.Audience = strings.TrimSpace(cfg.Audience)
	cfg.RoleClaim = strings.TrimSpace(cfg.RoleClaim)
	if cfg.URL == "" || cfg.Audience == "" {
		return nil, errors.New("auth: an OpenID Connect issuer needs a URL and an audience")
	}
	if cfg.RoleClaim == "" {
		cfg.RoleClaim = DefaultRoleClaim
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.KeyRefetch <= 0 {
		cfg.KeyRefetch = DefaultKeyRefetch
	}
	return &Issuer{cfg: cfg}, nil
}

// URL is the issuer identifier, as listed in protected resource metadata.
func (i *Issuer) URL() string { return i.cfg.URL }

// Scopes are the OAuth scopes a client asks the issuer for to get a
// token this server accepts.
func (i *Issuer) Scopes() []string { return []string{"openid", "email"} }

// IssuerSigned reports whether token's header names one of
// IssuerAlgorithms, that is whether it is for an Issuer rather than for
// Verify. It checks nothing else.
func IssuerSigned(token string) bool {
	head, _, ok := strings.Cut(token, ".")
	if !ok {
		return false
	}
	raw, err := base64.RawURLEncoding.DecodeString(head)
	if err != nil {
		return false
	}
	var h struct {
		Alg string `json:"alg"`
	}
	return json.Unmarshal(raw, &h) == nil && slices.Contains(IssuerAlgorithms(), h.Alg)
}

// Verify checks token's signature against the issuer's keys and its
// claims against the issuer, its audience and p (p.Audience is not used:
// the issuer's audience is), and returns the caller it names. Refusals
// are *Error values; an issuer that cannot be reached is an error of
// another type.
func (i *Issuer) Verify(ctx context.Context, token string, p Policy) (caller.Identity, error) {
	if strings.TrimSpace(token) == "" {
		return caller.Identity{}, refuse(KindMissingToken, "")
	}
	if !IssuerSigned(token) {
		return caller.Identity{}, refuse(KindAlgorithm, "an issuer's tokens are signed with RS256, ES256 or EdDSA")
	}
	if err := checkStrict(token, i.cfg.RoleClaim); err != nil {
		return caller.Identity{}, err
	}
	keys, err := i.keySet(ctx)
	if err != nil {
		return caller.Identity{}, err
	}
	payload, err := keys.verify(ctx, token)
	switch {
	case errors.Is(err, errSignature):
		return caller.Identity{}, refuse(KindSignature, "")
	case err != nil:
		return caller.Identity{}, err
	}
	mc := jwt.MapClaims{}
	if err := json.Unmarshal(payload, &mc); err != nil {
		return caller.Identity{}, refuse(KindMalformed, "")
	}
	if iss, _ := mc.GetIssuer(); iss == "" {
		return caller.Identity{}, refuse(KindIssuer, "the token has no iss claim")
	}
	now := p.Now
	if now.IsZero() {
		now = time.Now()
	}
	v := jwt.NewValidator(jwt.WithExpirationRequired(), jwt.WithIssuedAt(), jwt.WithLeeway(Leeway),
		jwt.WithTimeFunc(func() time.Time { return now }),
		jwt.WithAudience(i.cfg.Audience), jwt.WithIssuer(i.cfg.URL))
	if err := v.Validate(mc); err != nil {
		return caller.Identity{}, claimsErr(mc, err)
	}
	if err := checkLifetime(mc, now, p.MaxTTL); err != nil {
		return caller.Identity{}, err
	}
	return identityOf(i.roleMapped(mc), tokenDigest(token))
}

// roleMapped returns mc with the issuer's role claim as "role", and
// "customer" when the token has none.
func (i *Issuer) roleMapped(mc jwt.MapClaims) jwt.MapClaims {
	out := maps.Clone(mc)
	role, ok := mc[i.cfg.RoleClaim]
	delete(out, "role")
	if ok && role != nil {
		out["role"] = role
	} else {
		out["role"] = string(caller.Customer)
	}
	return out
}

// keySet discovers the issuer's jwks_uri once, and returns its cached,
// self-refreshing key set.
func (i *Issuer) keySet(ctx context.Context) (*remoteKeys, error) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.keys != nil {
		return i.keys, nil
	}
	if !i.failed.IsZero() && time.Since(i.failed) < discoveryRetry {
		return nil, i.failure
	}
	dctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, i.cfg.Client), 10*time.Second)
	defer cancel()
	provider, err := oidc.NewProvider(dctx, i.cfg.URL)
	var doc struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err == nil {
		err = provider.Claims(&doc)
	}
	if err == nil && doc.JWKSURI == "" {
		err = errors.New("the discovery document has no jwks_uri")
	}
	if err != nil {
		i.failed = time.Now()
		i.failure = fmt.Errorf("auth: OpenID Connect discovery at %s failed: %w", i.cfg.URL, err)
		return nil, i.failure
	}
	i.keys = newRemoteKeys(doc.JWKSURI, i.cfg.Client, i.cfg.KeyRefetch)
	return i.keys, nil
}
