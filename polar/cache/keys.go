package cache

import "github.com/polar-mcp/polar-mcp/polar"

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
