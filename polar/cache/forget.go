package cache

import (
	"context"
	"strings"
	"time"
)

// ForgetCustomer implements polar.Invalidator.
func (c *Client) ForgetCustomer(customerID string) { c.forget(customerID) }

// ForgetExternalID implements polar.Invalidator.
func (c *Client) ForgetExternalID(ext string) { c.forget(externalOwner(ext)) }

// ForgetEmailHash drops a kept "no customer has this email" for the email
// whose hex SHA-256, normalized, is hash (fleet.HashEmail): a customer now
// has it.
func (c *Client) ForgetEmailHash(hash string) {
	c.forget(emailOwnerPrefix + hash)
	if sh := c.sharedTier(); sh != nil {
		// Another instance may have shared a lookup of that email that
		// now leads to someone else.
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		sh.Del(ctx, "customer:"+hash)
	}
}

// ForgetBilling drops the subscriptions, orders and state kept about the
// customer with Polar id customerID, keeping its email lookup.
func (c *Client) ForgetBilling(customerID string) {
	c.gen.Add(1)
	if c.store != nil {
		c.store.removeOwnerIf(customerID, func(key string) bool { return !strings.HasPrefix(key, "customer") })
	}
}

// ForgetAll drops everything kept, for when invalidations may have been
// missed.
func (c *Client) ForgetAll() {
	c.gen.Add(1)
	if c.store != nil {
		c.store.clear()
	}
}

// ForgetCatalog implements polar.Invalidator.
func (c *Client) ForgetCatalog() {
	c.gen.Add(1)
	if c.store != nil {
		c.store.remove("products")
		c.store.remove("benefits")
		c.store.removeOwnerIf(catalogOwner, func(string) bool { return true })
	}
	c.forgetShared("products", "benefits")
}
