package cache

import (
	"strings"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/polar"
)

// writeCustomer applies customer.created, customer.updated and
// customer.deleted (Polar's Customer). Everything kept about the
// customer is dropped, by Polar id and by external id: its lookups, its
// portal sessions, and its billing answers, whose embedded copies of the
// customer the tools check against the caller and may now be stale; a
// kept "no such customer" for its email goes too. Then, for created and
// updated, the record is written as the answer to its email's and its
// external id's lookups (an email belongs to one customer of an
// organization); for deleted, the email is kept as "no such customer"
// where such answers are kept.
func (c *Client) writeCustomer(action string, raw []byte, at time.Time) bool {
	cu, meta, ok := decodeRecord[polar.Customer, recordMeta](raw)
	if !ok || cu.ID == "" || cu.Email == "" {
		return false
	}
	deleted, known, newer := c.admit(action, "customer\x00"+cu.ID, meta.version(at))
	if !known || !newer {
		return known
	}
	c.forget(cu.ID)
	if ext := cu.External(); ext != "" {
		c.forget(externalOwner(ext))
	}
	c.ForgetEmailHash(strings.TrimPrefix(emailOwner(cu.Email), emailOwnerPrefix))
	email := caller.NormalizeEmail(cu.Email)
	if deleted {
		if c.notFoundTTL > 0 {
			c.put("customer\x00"+email, emailOwner(email), answer{err: polar.ErrCustomerNotFound}, c.notFoundTTL)
		}
		return true
	}
	cu.Kept = false
	c.put("customer\x00"+email, cu.ID, answer{val: &cu}, c.customerTTL)
	if ext := cu.External(); ext != "" {
		cp := cu
		c.put("customer-ext\x00"+ext, externalOwner(ext), answer{val: &cp}, c.customerTTL)
	}
	return true
}

// writeMember applies member.created, member.updated and member.deleted
// (Polar's Member): the member takes its place in a built member index
// (its email may have changed), or leaves it; and no portal session of
// its team is handed out again (its role may have changed).
func (c *Client) writeMember(action string, raw []byte, at time.Time) bool {
	m, meta, ok := decodeRecord[polar.Member, recordMeta](raw)
	if !ok || m.ID == "" || m.CustomerID == "" || m.Email == "" {
		return false
	}
	deleted, known, newer := c.admit(action, "member\x00"+m.ID, meta.version(at))
	if !known || !newer {
		return known
	}
	c.members.mu.Lock()
	if e, ok := c.members.emailOf[m.ID]; ok {
		c.members.drop(m.ID, e)
	}
	delete(c.members.stale, m.ID)
	if !deleted && !c.members.built.IsZero() {
		c.members.put(m)
	}
	c.members.mu.Unlock()
	c.gen.Add(1)
	c.dropKept([]string{m.CustomerID}, "session\x00")
	return true
}

// admit orders a created, updated or deleted event of the record key at
// version v: known is false for any other action; newer is whether it is
// applied. A deletion always is (a drop is always safe), and no older
// record is written after it; a write only when newer than what was
// applied.
func (c *Client) admit(action, key string, v time.Time) (deleted, known, newer bool) {
	switch action {
	case "deleted":
		c.vers.atLeast(key, v)
		return true, true, true
	case "created", "updated":
		return false, true, c.vers.advance(key, v)
	}
	return false, false, false
}
