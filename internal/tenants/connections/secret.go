package connections

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"fmt"
	"log/slog"
	"strings"
)

// redacted is what a Secret prints as.
const redacted = "[REDACTED]"

// Secret is a plaintext credential: a Polar access token or a signing
// secret. It prints, formats, logs and marshals to JSON as "[REDACTED]";
// Reveal returns the plaintext, so every use of it is explicit.
type Secret string

// Reveal returns the plaintext.
func (s Secret) Reveal() string { return string(s) }

// String returns "[REDACTED]".
func (Secret) String() string { return redacted }

// GoString returns "[REDACTED]", for %#v.
func (Secret) GoString() string { return redacted }

// LogValue returns "[REDACTED]", for log/slog.
func (Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON encodes "[REDACTED]". An admin API that must show a new
// signing secret once encodes Reveal() explicitly.
func (Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// Credentials are a connection's decrypted secrets.
type Credentials struct {
	// Token is the Polar access token.
	Token Secret
	// SigningSecret verifies the caller tokens minted for this connection.
	// The HMAC key is the secret's text as bytes: see SigningKey.
	SigningSecret Secret
}

// SigningKey returns the HMAC key for caller tokens: the bytes of the
// signing secret's text, which is what an integrator pastes into a JWT
// library.
func (c Credentials) SigningKey() []byte { return []byte(c.SigningSecret) }

// idPrefix starts every connection id.
const idPrefix = "conn_"

// idAlphabet is lower-case base32: URL-safe.
const idAlphabet = "abcdefghijklmnopqrstuvwxyz234567"

// newID returns "conn_" and 16 random base32 characters (80 bits).
func newID() (string, error) {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate connection id: %w", err)
	}
	return idPrefix + base32.NewEncoding(idAlphabet).WithPadding(base32.NoPadding).EncodeToString(b), nil
}

// signingSecretBytes is the entropy of a signing secret.
const signingSecretBytes = 32

// newSigningSecret returns 32 random bytes, base64url without padding
// (43 characters).
func newSigningSecret() (Secret, error) {
	b := make([]byte, signingSecretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate signing secret: %w", err)
	}
	return Secret(base64.RawURLEncoding.EncodeToString(b)), nil
}

// tokenHint shows a token's known Polar type prefix and its last four
// characters, e.g. "polar_oat_…3f9c", and nothing else of it: a token
// with an unknown prefix shows only "…" and its last four, one too
// short to spare them shows only its prefix.
func tokenHint(token string) string {
	// Polar's token type prefixes (organization and personal access
	// tokens, OAuth2 access and refresh tokens for users and
	// organizations), longest first.
	prefixes := [...]string{
		"polar_at_u_", "polar_at_o_", "polar_rt_u_", "polar_rt_o_",
		"polar_oat_", "polar_pat_", "polar_at_", "polar_rt_",
	}
	prefix := ""
	for _, p := range prefixes {
		if strings.HasPrefix(token, p) {
			prefix = p
			break
		}
	}
	rest := token[len(prefix):]
	if len(rest) < 16 {
		return prefix + "…"
	}
	return prefix + "…" + rest[len(rest)-4:]
}
