package cache

import (
	"context"
	"encoding/json"
	"strconv"
	"time"
)

// storeShared writes the index to the Shared tier, with a new stamp.
func (c *Client) storeShared(ctx context.Context) {
	sh := c.sharedTier()
	if sh == nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	c.members.mu.Lock()
	blob, err := json.Marshal(sharedIndex{Built: c.members.built, Members: c.members.all()})
	stamp := c.now().UnixNano()
	c.members.stamp = stamp
	ttl := MemberIndexTTL
	if c.invalidated {
		ttl = 24 * time.Hour
	}
	c.members.mu.Unlock()
	if err != nil {
		return
	}
	sh.Set(ctx, sharedIndexKey, blob, ttl)
	sh.Set(ctx, sharedStampKey, []byte(strconv.FormatInt(stamp, 10)), ttl)
}

// loadShared replaces the index with the Shared tier's when that one is
// newer; it reports whether it did.
func (c *Client) loadShared(ctx context.Context) bool {
	sh := c.sharedTier()
	if sh == nil {
		return false
	}
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	raw, ok := sh.Get(ctx, sharedStampKey)
	if !ok {
		return false
	}
	stamp, err := strconv.ParseInt(string(raw), 10, 64)
	c.members.mu.Lock()
	current := c.members.stamp
	c.members.mu.Unlock()
	if err != nil || stamp <= current {
		return false
	}
	blob, ok := sh.Get(ctx, sharedIndexKey)
	var six sharedIndex
	if !ok || json.Unmarshal(blob, &six) != nil || six.Built.IsZero() {
		return false
	}
	c.members.mu.Lock()
	c.members.reset(six.Members, six.Built)
	c.members.stamp = stamp
	c.members.mu.Unlock()
	return true
}
