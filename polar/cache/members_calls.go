package cache

import (
	"context"

	"github.com/polar-mcp/polar-mcp/polar"
)

var _ polar.Members = (*Client)(nil)

// ListMembers implements polar.Members; pages are not kept (the index is).
func (c *Client) ListMembers(ctx context.Context, q polar.MemberQuery) (polar.Page[polar.Member], error) {
	inner, err := c.membersInner()
	if err != nil {
		return polar.Page[polar.Member]{}, err
	}
	return inner.ListMembers(ctx, q)
}

// MemberByExternalID implements polar.Members: one request, and the
// member found goes into a built index.
func (c *Client) MemberByExternalID(ctx context.Context, customerExt, memberExt string) (*polar.Member, error) {
	inner, err := c.membersInner()
	if err != nil {
		return nil, err
	}
	m, err := inner.MemberByExternalID(ctx, customerExt, memberExt)
	if err == nil {
		c.members.mu.Lock()
		if !c.members.built.IsZero() {
			c.members.put(*m)
		}
		c.members.mu.Unlock()
	}
	return m, err
}

// GetMember implements polar.Members.
func (c *Client) GetMember(ctx context.Context, customerID, memberID string) (*polar.Member, error) {
	inner, err := c.membersInner()
	if err != nil {
		return nil, err
	}
	return inner.GetMember(ctx, customerID, memberID)
}
