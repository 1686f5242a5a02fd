package keyring

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// version is the prefix of every ciphertext this package writes:
// "v1:<kid>:<base64url(nonce|sealed)>".
const version = "v1"

// ErrUnknownKey means a ciphertext names a key id the ring does not hold.
var ErrUnknownKey = errors.New("master key not configured")

// ErrDecrypt means a ciphertext failed authentication: the key is wrong,
// the data was altered, or it belongs to another record or field.
var ErrDecrypt = errors.New("decryption failed: wrong master key or tampered data")

// ErrFormat means a stored value is not a ciphertext this package wrote.
var ErrFormat = errors.New("not a recognized ciphertext")

// Seal encrypts plaintext under the primary key with AES-256-GCM and a
// fresh random nonce. aad is authenticated but not stored: Open must be
// given the same aad, which binds the ciphertext to its place.
func (r *Ring) Seal(plaintext, aad []byte) (string, error) {
	return r.SealWith(r.primary, plaintext, aad)
}

// SealWith is Seal under the key kid.
func (r *Ring) SealWith(kid string, plaintext, aad []byte) (string, error) {
	aead, err := r.aead(kid)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("encrypt: %w", err)
	}
	out := aead.Seal(nonce, nonce, plaintext, aad)
	return version + ":" + kid + ":" + base64.RawURLEncoding.EncodeToString(out), nil
}

// Open decrypts a ciphertext written by Seal with the same aad.
func (r *Ring) Open(ciphertext string, aad []byte) ([]byte, error) {
	kid, body, err := split(ciphertext)
	if err != nil {
		return nil, err
	}
	aead, err := r.aead(kid)
	if err != nil {
		return nil, err
	}
	raw, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil || len(raw) < aead.NonceSize()+aead.Overhead() {
		return nil, ErrFormat
	}
	ns := aead.NonceSize()
	pt, err := aead.Open(nil, raw[:ns], raw[ns:], aad)
	if err != nil {
		return nil, fmt.Errorf("key %q: %w", kid, ErrDecrypt)
	}
	return pt, nil
}

// KeyID returns the id of the key a ciphertext was sealed under.
func KeyID(ciphertext string) (string, error) {
	kid, _, err := split(ciphertext)
	return kid, err
}

func split(ciphertext string) (kid, body string, err error) {
	parts := strings.SplitN(ciphertext, ":", 3)
	if len(parts) != 3 || parts[0] != version || !validKeyID(parts[1]) {
		return "", "", ErrFormat
	}
	return parts[1], parts[2], nil
}

func (r *Ring) aead(kid string) (cipher.AEAD, error) {
	key, ok := r.keys[kid]
	if !ok {
		return nil, fmt.Errorf("%w: key id %q", ErrUnknownKey, kid)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("key %q: %w", kid, err)
	}
	return cipher.NewGCM(block)
}
