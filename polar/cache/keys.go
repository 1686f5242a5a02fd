package cache

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/polar"
)

// refKey is a customer ref's part of cache and coalescing keys.
func refKey(r polar.CustomerRef) string {
	if r.ID != "" {
		return "id\x00" + r.ID
	}
	return "ext\x00" + r.ExternalID
}

// refOwner is who cached answers about a ref belong to, for invalidation:
// the Polar id when known, else the external id.
func refOwner(r polar.CustomerRef) string {
	if r.ID != "" {
		return r.ID
	}
	return externalOwner(r.ExternalID)
}

// externalOwner is the owner of answers about the customer with the
// merchant's user id ext. It cannot collide with a Polar id.
func externalOwner(ext string) string { return "ext\x00" + ext }

// emailOwnerPrefix starts the owner of a kept "no such customer" for an
// email; the rest is the email's hash, as fleet.HashEmail computes it.
const emailOwnerPrefix = "email\x00"

// emailOwner owns what is kept about an email that matched no customer.
func emailOwner(email string) string {
	sum := sha256.Sum256([]byte(caller.NormalizeEmail(email)))
	return emailOwnerPrefix + hex.EncodeToString(sum[:])
}
