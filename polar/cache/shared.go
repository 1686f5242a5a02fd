package cache

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"

	"github.com/polar-mcp/polar-mcp/polar"
)

// Shared is a second tier of a Client that every instance serving the
// same organization sees (fleet.RedisShared, in Redis). Email lookups and
// the catalog are looked for there when this instance has not kept them,
// before Polar is asked, and stored there once Polar answered, so that
// several instances ask Polar once instead of once each. Billing answers
// and "no such customer" never go there.
//
// Get and Set fail quietly: a Shared that does not answer is a miss, and
// Polar is asked.
type Shared interface {
	Get(ctx context.Context, key string) ([]byte, bool)
	Set(ctx context.Context, key string, val []byte, ttl time.Duration)
	Del(ctx context.Context, keys ...string)
}

type sharedBox struct{ s Shared }

// SetShared makes s the second tier of c (nil: none). The single merchant
// gets it once its organization is known.
func (c *Client) SetShared(s Shared) { c.shared.Store(&sharedBox{s}) }

func (c *Client) sharedTier() Shared {
	if b := c.shared.Load(); b != nil {
		return b.s
	}
	return nil
}

// sharedKey is the second-tier key of a first-tier key, or "" for a read
// that is not shared. A customer lookup's is the email's hash, as
// fleet.HashEmail computes it, so that an invalidation naming the email's
// hash (ForgetEmailHash) reaches it; the catalog's are their names.
func sharedKey(key string) string {
	switch {
	case strings.HasPrefix(key, "customer\x00"):
		sum := sha256.Sum256([]byte(strings.TrimPrefix(key, "customer\x00")))
		return "customer:" + hex.EncodeToString(sum[:])
	case key == "products" || key == "benefits":
		return key
	default:
		return ""
	}
}

// fromShared answers r from the second tier, keeping what it found in the
// first tier too.
func fromShared[T any](ctx context.Context, c *Client, r read[T], gen uint64) (T, bool) {
	var v T
	sh, key := c.sharedTier(), sharedKey(r.key)
	if sh == nil || key == "" || r.ttl <= 0 {
		return v, false
	}
	b, ok := sh.Get(ctx, key)
	if !ok || json.Unmarshal(b, &v) != nil {
		return v, false
	}
	if c.gen.Load() == gen {
		owner := r.owner
		if r.ownerOf != nil {
			owner = r.ownerOf(v)
		}
		c.put(r.key, owner, answer{val: v, shared: true}, r.ttl)
	}
	return v, true
}

// toShared stores what Polar answered for r in the second tier.
func toShared[T any](ctx context.Context, c *Client, r read[T], v T) {
	sh, key := c.sharedTier(), sharedKey(r.key)
	if sh == nil || key == "" || r.ttl <= 0 || !shareable(v) {
		return
	}
	var out any = v
	if cust, ok := any(v).(*polar.Customer); ok && cust != nil {
		// What a lookup needs, and no more of the customer's data.
		out = &polar.Customer{ID: cust.ID, Type: cust.Type, Email: cust.Email, EmailVerified: cust.EmailVerified,
			ExternalID: cust.ExternalID, OrganizationID: cust.OrganizationID}
	}
	if b, err := json.Marshal(out); err == nil {
		sh.Set(ctx, key, b, r.ttl)
	}
}

// shareable reports whether v survives the second tier's JSON: an item
// Polar sent in a shape polar-mcp cannot read is kept in this process
// only, where it stays marked as such.
func shareable(v any) bool {
	switch x := v.(type) {
	case []polar.Product:
		for _, p := range x {
			if p.Unreadable {
				return false
			}
		}
	case []polar.Benefit:
		for _, b := range x {
			if b.Unreadable {
				return false
			}
		}
	}
	return true
}

// forgetShared drops the second-tier copies of first-tier keys.
func (c *Client) forgetShared(keys ...string) {
	sh := c.sharedTier()
	if sh == nil {
		return
	}
	var del []string
	for _, k := range keys {
		if s := sharedKey(k); s != "" {
			del = append(del, s)
		}
	}
	if len(del) > 0 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		sh.Del(ctx, del...)
	}
}
