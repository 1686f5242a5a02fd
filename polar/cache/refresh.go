package cache

import (
	"context"
	"errors"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/polar"
)

var _ polar.Refresher = (*Client)(nil)

// RefreshCustomerByEmail implements polar.Refresher: it asks Polar again,
// whatever is kept, and keeps the answer. When the address now leads to
// another customer (or to none), everything kept about the customer it
// led to before is dropped; when Polar cannot answer, what is kept stays.
func (c *Client) RefreshCustomerByEmail(ctx context.Context, email string) (*polar.Customer, error) {
	email = caller.NormalizeEmail(email)
	key := "customer\x00" + email
	old, _ := c.get(key)
	before, _ := old.val.(*polar.Customer)
	v, err := c.inner.FindCustomerByEmail(ctx, email)
	switch {
	case errors.Is(err, polar.ErrCustomerNotFound):
		if before != nil {
			c.forget(before.ID)
		}
		return nil, err
	case err != nil:
		return nil, err
	}
	if before != nil && before.ID != v.ID {
		c.forget(before.ID)
	}
	if c.customerTTL > 0 {
		c.put(key, v.ID, answer{val: v}, c.customerTTL)
		toShared(ctx, c, read[*polar.Customer]{key: key, ttl: c.customerTTL}, v)
	}
	cp := *v
	return &cp, nil
}
