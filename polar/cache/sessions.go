package cache

import (
	"context"
	"strings"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/polar"
)

// SessionReuseMargin is how long a customer session must still be valid
// to be handed out again: a link shown with less left could expire before
// the customer opens it.
const SessionReuseMargin = 20 * time.Minute

// sessionKey is the key of a customer (or member) session created for the
// verified caller in ctx about ref: a session is reused only for the same
// identity (role, email, external ids, token subject, connection), never
// for another caller. "" when ctx carries no identity: nothing is reused.
func sessionKey(ctx context.Context, ref polar.CustomerRef, memberID string) string {
	id, ok := caller.From(ctx)
	if !ok {
		return ""
	}
	return strings.Join([]string{"session", refKey(ref), memberID, string(id.Role), id.Email, id.ExternalID,
		id.MemberExternalID, id.Subject, id.Connection}, "\x00")
}

// reusesSessions reports whether sessions may be reused now: only while
// Polar's webhooks are known to arrive, so that customer.updated (which
// drops every session kept for that customer) would have been seen.
func (c *Client) reusesSessions() bool {
	return c.invalidated && c.fresh != nil && c.fresh()
}

// session creates a session with create, or hands out again the one
// created for the same caller and customer while it is valid for at
// least SessionReuseMargin and webhooks keep the customer fresh. Its
// expiry is the session's own. It is never coalesced nor shared.
func (c *Client) session(ctx context.Context, ref polar.CustomerRef, memberID string,
	create func(context.Context) (*polar.CustomerSession, error)) (*polar.CustomerSession, error) {
	key := ""
	if c.reusesSessions() {
		key = sessionKey(ctx, ref, memberID)
	}
	if key != "" {
		if a, ok := c.get(key); ok {
			if s, _ := a.val.(*polar.CustomerSession); s != nil && s.ExpiresAt.Sub(c.now()) >= SessionReuseMargin {
				c.hits.Add(1)
				cp := *s
				return &cp, nil
			}
			c.store.remove(key)
		}
	}
	gen := c.gen.Load()
	s, err := create(ctx)
	if isNotFound(err) {
		c.forget(refOwner(ref))
	}
	if err != nil || s == nil || key == "" || c.gen.Load() != gen {
		return s, err
	}
	if left := s.ExpiresAt.Sub(c.now()) - SessionReuseMargin; left > 0 {
		owner := refOwner(ref)
		if s.CustomerID != "" {
			owner = s.CustomerID
		}
		cp := *s
		c.put(key, owner, answer{val: &cp}, left)
	}
	return s, err
}
