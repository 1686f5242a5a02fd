package cache

import (
	"container/list"
	"strings"
	"sync"
	"time"
)

// entryOverhead approximates the memory of one entry beyond its key and
// value: the list element, the map slots and the entry struct.
const entryOverhead = 200

// lru is a least-recently-used cache bounded by an estimated byte size.
// Entries expire; expired entries are dropped when met. Each entry may
// name an owner (a customer id) so that everything about one customer can
// be dropped at once. It is safe for concurrent use.
type lru struct {
	maxBytes int64

	mu     sync.Mutex
	bytes  int64
	order  list.List // of *lruEntry, most recently used first
	items  map[string]*list.Element
	owners map[string]map[string]struct{} // owner -> keys
}

type lruEntry struct {
	key     string
	owner   string
	answer  answer
	size    int64
	expires time.Time
}

// answer is what a cached call returned: a value, or a negative answer
// such as ErrCustomerNotFound.
type answer struct {
	val    any
	err    error
	kept   time.Time // when it was stored
	shared bool      // found in the Shared tier, not asked of Polar here
}

func newLRU(maxBytes int64) *lru {
	return &lru{
		maxBytes: maxBytes,
		items:    map[string]*list.Element{},
		owners:   map[string]map[string]struct{}{},
	}
}

// get returns the live answer for key, if any, and marks it recently
// used.
func (c *lru) get(key string, now time.Time) (answer, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, found := c.items[key]
	if !found {
		return answer{}, false
	}
	e := el.Value.(*lruEntry)
	if !now.Before(e.expires) {
		c.removeElement(el)
		return answer{}, false
	}
	c.order.MoveToFront(el)
	return e.answer, true
}

// add stores a under key until expires, evicting the least recently used
// entries to stay within maxBytes. An answer larger than the whole budget
// is not stored.
func (c *lru) add(key, owner string, a answer, expires time.Time) {
	size := entryOverhead + 2*int64(len(key)+len(owner)) + memSize(a.val)
	if size > c.maxBytes {
		c.remove(key)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, found := c.items[key]; found {
		c.removeElement(el)
	}
	e := &lruEntry{key: key, owner: owner, answer: a, size: size, expires: expires}
	c.items[key] = c.order.PushFront(e)
	c.bytes += size
	if owner != "" {
		keys := c.owners[owner]
		if keys == nil {
			keys = map[string]struct{}{}
			c.owners[owner] = keys
		}
		keys[key] = struct{}{}
	}
	for c.bytes > c.maxBytes {
		c.removeElement(c.order.Back())
	}
}

// remove drops key.
func (c *lru) remove(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, found := c.items[key]; found {
		c.removeElement(el)
	}
}

// removeOwnerIf drops the entries owner owns that drop reports true for.
func (c *lru) removeOwnerIf(owner string, drop func(key string) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for key := range c.owners[owner] {
		if drop(key) {
			c.removeElement(c.items[key])
		}
	}
}

// clear drops every entry.
func (c *lru) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.order.Init()
	c.items = map[string]*list.Element{}
	c.owners = map[string]map[string]struct{}{}
	c.bytes = 0
}

// usage returns the number of entries and their estimated size.
func (c *lru) usage() (int, int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items), c.bytes
}

func (c *lru) removeElement(el *list.Element) {
	e := c.order.Remove(el).(*lruEntry)
	delete(c.items, e.key)
	c.bytes -= e.size
	if keys := c.owners[e.owner]; keys != nil {
		delete(keys, e.key)
		if len(keys) == 0 {
			delete(c.owners, e.owner)
		}
	}
}

// keysOf returns the keys owner owns that start with prefix.
func (c *lru) keysOf(owner, prefix string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var keys []string
	for key := range c.owners[owner] {
		if strings.HasPrefix(key, prefix) {
			keys = append(keys, key)
		}
	}
	return keys
}

// update replaces the live value kept under key with what fn returns for
// it, keeping its owner, expiry and the time it was kept; fn reporting
// false drops the entry. fn runs under the lock: it must not call c.
func (c *lru) update(key string, now time.Time, fn func(v any) (any, bool)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, found := c.items[key]
	if !found {
		return
	}
	e := el.Value.(*lruEntry)
	if !now.Before(e.expires) || e.answer.err != nil {
		c.removeElement(el)
		return
	}
	v, keep := fn(e.answer.val)
	if !keep {
		c.removeElement(el)
		return
	}
	e.answer.val = v
	e.answer.shared = false
	size := entryOverhead + 2*int64(len(e.key)+len(e.owner)) + memSize(v)
	c.bytes += size - e.size
	e.size = size
	for c.bytes > c.maxBytes && c.order.Len() > 0 {
		c.removeElement(c.order.Back())
	}
}
