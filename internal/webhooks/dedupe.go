package webhooks

import (
	"context"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// DedupeTTL is how long a delivery id is remembered (Polar retries for
// less than that).
const DedupeTTL = 24 * time.Hour

// Deduper makes sure one delivery is processed once.
type Deduper interface {
	// Claim reports whether id is new; a later Claim of id is false.
	Claim(ctx context.Context, id string) (bool, error)
	// Unclaim forgets id, for a delivery that was not taken after all.
	Unclaim(ctx context.Context, id string)
}

// MemoryDedupe remembers ids in this process for DedupeTTL, at most max.
type MemoryDedupe struct {
	max int
	now func() time.Time

	mu  sync.Mutex
	ids map[string]time.Time
}

// NewMemoryDedupe returns a MemoryDedupe of at most max ids (zero: 100000).
func NewMemoryDedupe(max int, now func() time.Time) *MemoryDedupe {
	if max <= 0 {
		max = 100000
	}
	if now == nil {
		now = time.Now
	}
	return &MemoryDedupe{max: max, now: now, ids: map[string]time.Time{}}
}

// Claim implements Deduper.
func (m *MemoryDedupe) Claim(_ context.Context, id string) (bool, error) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if exp, ok := m.ids[id]; ok && now.Before(exp) {
		return false, nil
	}
	if len(m.ids) >= m.max {
		for k, exp := range m.ids {
			if !now.Before(exp) || len(m.ids) >= m.max {
				delete(m.ids, k)
			}
		}
	}
	m.ids[id] = now.Add(DedupeTTL)
	return true, nil
}

// Unclaim implements Deduper.
func (m *MemoryDedupe) Unclaim(_ context.Context, id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.ids, id)
}

// RedisDedupe claims ids with SET NX, so that one instance of the fleet
// processes each delivery.
type RedisDedupe struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewRedisDedupe returns a RedisDedupe; prefix "" means
// "polar-mcp:webhook:".
func NewRedisDedupe(rdb redis.UniversalClient, prefix string) *RedisDedupe {
	if prefix == "" {
		prefix = "polar-mcp:webhook:"
	}
	return &RedisDedupe{rdb: rdb, prefix: prefix}
}

// Claim implements Deduper.
func (r *RedisDedupe) Claim(ctx context.Context, id string) (bool, error) {
	return r.rdb.SetNX(ctx, r.prefix+id, 1, DedupeTTL).Result()
}

// Unclaim implements Deduper.
func (r *RedisDedupe) Unclaim(ctx context.Context, id string) {
	_ = r.rdb.Del(ctx, r.prefix+id).Err()
}
