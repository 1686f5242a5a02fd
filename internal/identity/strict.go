package identity

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
)

// knownClaims are the claim names polar-mcp reads or that carry meaning
// in a JWT. A payload may hold other claims, but never one of these spelled
// in another case (Go's encoding/json would bind "ROLE" to role, other
// verifiers would not), and never any name twice (the last one wins in
// some parsers, the first in others).
func knownClaims() []string {
	return []string{"role", "email", "email_verified", "external_customer_id", "external_member_id", "locale",
		"exp", "iat", "nbf", "aud", "iss", "sub", "jti"}
}

// knownHeaders are the JOSE header names (RFC 7515, 7516): like claims,
// never spelled in another case.
func knownHeaders() []string {
	return []string{"alg", "typ", "cty", "kid", "crit", "jku", "jwk", "x5u", "x5c", "x5t", "x5t#S256", "zip", "enc"}
}

// checkStrict refuses a token whose header or payload could be read
// differently by another parser: a segment that is not canonical base64url
// (unused trailing bits set, so that several strings are one token),
// duplicate names in the header or payload, a known header or claim in
// another spelling, or a crit header (RFC 7515 §4.1.11: an extension this
// verifier does not understand must be refused). extra names claims known
// to this verifier only (an issuer's role claim).
func checkStrict(token string, extra ...string) error {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return refuse(KindMalformed, "")
	}
	for _, p := range parts {
		if _, err := base64.RawURLEncoding.Strict().DecodeString(p); err != nil {
			return refuse(KindMalformed, "a segment is not canonical base64url")
		}
	}
	header, err := objectKeys(parts[0])
	if err != nil {
		return refuse(KindMalformed, "")
	}
	if err := unique(header, knownHeaders()); err != nil {
		return err
	}
	for _, k := range header {
		if strings.EqualFold(k, "crit") {
			return refuse(KindCritical, "")
		}
	}
	payload, err := objectKeys(parts[1])
	if err != nil {
		return refuse(KindMalformed, "")
	}
	return unique(payload, append(knownClaims(), extra...))
}

// unique refuses a repeated name, and a name equal to one of known under
// Unicode case folding (which is how encoding/json matches field names)
// without being it exactly.
func unique(keys, known []string) error {
	seen := make(map[string]bool, len(keys))
	for _, k := range keys {
		if seen[k] {
			return refuse(KindAmbiguousClaims, fmt.Sprintf("%q appears more than once", clip(k)))
		}
		seen[k] = true
		for _, want := range known {
			if k != want && strings.EqualFold(k, want) {
				return refuse(KindAmbiguousClaims, fmt.Sprintf("%q is not the claim %q", clip(k), want))
			}
		}
	}
	return nil
}

// objectKeys returns the top-level member names of the JSON object in a
// base64url segment, in order, duplicates included.
func objectKeys(segment string) ([]string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(segment)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("not a JSON object")
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		k, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("not a JSON object")
		}
		keys = append(keys, k)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, err
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("trailing data")
	}
	return keys, nil
}

// clip bounds a claim name quoted in a refusal.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
