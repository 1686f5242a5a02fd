// Package keyring holds the master keys that encrypt credentials at rest.
//
// A Ring has one or more 32-byte AES-256 keys, each named by a key id. The
// first key is the primary: new ciphertexts are sealed under it. The others
// only decrypt, so data sealed under an old key stays readable until it has
// been re-encrypted under the new primary.
//
// A ring is written as entries separated by commas or newlines, each
// "kid:base64key" or a bare base64 key (whose id is DefaultKeyID):
//
//	k2:3q2+7w...,k1:q83v...
//
// Blank lines and lines starting with '#' are ignored, so a key file may
// carry comments. Errors never contain key material.
package keyring

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strings"
)

// KeySize is the length in bytes of a master key (AES-256).
const KeySize = 32

// DefaultKeyID is the id of a key written without one.
const DefaultKeyID = "default"

// The usual configuration names for the master key and the key file.
const (
	EnvMasterKey     = "POLAR_MCP_MASTER_KEY"
	EnvMasterKeyFile = "POLAR_MCP_MASTER_KEY_FILE"
)

// ErrNoKey means no master key is configured.
var ErrNoKey = errors.New("no master key configured: set " + EnvMasterKey +
	" or " + EnvMasterKeyFile + " (generate one with GenerateKey)")

// ErrMalformed means a master key or key list could not be parsed.
var ErrMalformed = errors.New("malformed master key")

// validKeyID reports whether kid is 1 to 64 of A-Z, a-z, 0-9, "_", "."
// and "-". (A regexp of it, with its 64 counted repetitions, took about
// 1 ms and 860 allocations to compile at every start of every command.)
func validKeyID(kid string) bool {
	if len(kid) < 1 || len(kid) > 64 {
		return false
	}
	for i := 0; i < len(kid); i++ {
		c := kid[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// Ring is an immutable set of master keys with one primary.
type Ring struct {
	primary string
	order   []string
	keys    map[string][]byte
}

// GenerateKey returns a new random master key, base64-encoded (standard
// encoding, padded), ready to be stored as-is or as "kid:" + key.
func GenerateKey() (string, error) {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		return "", fmt.Errorf("generate master key: %w", err)
	}
	return base64.StdEncoding.EncodeToString(k), nil
}

// Parse reads a ring from its text form. The first key is the primary.
func Parse(spec string) (*Ring, error) {
	r := &Ring{keys: map[string][]byte{}}
	n := 0
	for _, line := range strings.Split(spec, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		for _, entry := range strings.Split(line, ",") {
			entry = strings.TrimSpace(entry)
			if entry == "" {
				continue
			}
			n++
			if err := r.add(n, entry); err != nil {
				return nil, err
			}
		}
	}
	if len(r.order) == 0 {
		return nil, ErrNoKey
	}
	r.primary = r.order[0]
	return r, nil
}

// add parses one entry. Its errors name the entry by position only: the
// entry itself is secret.
func (r *Ring) add(n int, entry string) error {
	kid, b64 := DefaultKeyID, entry
	if i := strings.IndexByte(entry, ':'); i >= 0 {
		kid, b64 = strings.TrimSpace(entry[:i]), strings.TrimSpace(entry[i+1:])
		if !validKeyID(kid) {
			return fmt.Errorf("%w: key %d: key id must be 1-64 letters, digits, '_', '-' or '.'", ErrMalformed, n)
		}
	}
	key, err := decodeKey(b64)
	if err != nil {
		return fmt.Errorf("%w: key %d (id %q): %v", ErrMalformed, n, kid, err)
	}
	if _, dup := r.keys[kid]; dup {
		return fmt.Errorf("%w: key id %q appears twice", ErrMalformed, kid)
	}
	r.keys[kid] = key
	r.order = append(r.order, kid)
	return nil
}

// decodeKey accepts standard or URL-safe base64, padded or not. Its errors
// do not quote the input.
func decodeKey(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{
		base64.StdEncoding, base64.RawStdEncoding,
		base64.URLEncoding, base64.RawURLEncoding,
	} {
		if k, err := enc.DecodeString(s); err == nil {
			if len(k) != KeySize {
				return nil, fmt.Errorf("decodes to %d bytes, want %d", len(k), KeySize)
			}
			return k, nil
		}
	}
	return nil, errors.New("not valid base64")
}

// ReadFile reads a ring from a key file.
func ReadFile(path string) (*Ring, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read master key file: %w", err)
	}
	r, err := Parse(string(b))
	if err != nil {
		return nil, fmt.Errorf("master key file %s: %w", path, err)
	}
	return r, nil
}

// Load builds the ring from configuration: spec is the value of
// EnvMasterKey, file the path in EnvMasterKeyFile. Exactly one must be set.
func Load(spec, file string) (*Ring, error) {
	spec = strings.TrimSpace(spec)
	switch {
	case spec != "" && file != "":
		return nil, fmt.Errorf("both %s and %s are set; use one", EnvMasterKey, EnvMasterKeyFile)
	case file != "":
		return ReadFile(file)
	case spec != "":
		r, err := Parse(spec)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", EnvMasterKey, err)
		}
		return r, nil
	}
	return nil, ErrNoKey
}

// Primary returns the id of the key new ciphertexts are sealed under.
func (r *Ring) Primary() string { return r.primary }

// IDs returns the key ids, primary first.
func (r *Ring) IDs() []string {
	ids := make([]string, 0, len(r.order))
	ids = append(ids, r.primary)
	for _, id := range r.order {
		if id != r.primary {
			ids = append(ids, id)
		}
	}
	return ids
}

// Has reports whether the ring holds a key with id kid.
func (r *Ring) Has(kid string) bool {
	_, ok := r.keys[kid]
	return ok
}

// WithPrimary returns a copy of the ring whose primary is kid.
func (r *Ring) WithPrimary(kid string) (*Ring, error) {
	if !r.Has(kid) {
		return nil, fmt.Errorf("%w: %q", ErrUnknownKey, kid)
	}
	c := *r
	c.primary = kid
	return &c, nil
}

// String describes the ring by key ids only.
func (r *Ring) String() string {
	return fmt.Sprintf("keyring(primary=%s, keys=%s)", r.primary, strings.Join(r.IDs(), ","))
}

// GoString is String, so %#v never prints key bytes.
func (r *Ring) GoString() string { return r.String() }
