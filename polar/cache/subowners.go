package cache

import (
	"sync"

	"github.com/polar-mcp/polar-mcp/polar"
)

// maxSubOwners bounds subOwners; past it, what it knows is dropped and
// learned again from the next subscription lists.
const maxSubOwners = 100_000

// subOwners maps subscription ids to their customer's Polar id, learned
// from subscription lists, so that a subscription's seats are owned by
// its customer (and dropped by that customer's events).
type subOwners struct {
	mu sync.Mutex
	m  map[string]string
}

func (s *subOwners) learn(subs []polar.Subscription) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil || len(s.m)+len(subs) > maxSubOwners {
		s.m = make(map[string]string, len(subs))
	}
	for _, sub := range subs {
		id := sub.CustomerID
		if sub.Customer != nil && sub.Customer.ID != "" {
			id = sub.Customer.ID
		}
		if sub.ID != "" && id != "" {
			s.m[sub.ID] = id
		}
	}
}

// of returns the customer of subscription id, or "" when not known.
func (s *subOwners) of(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[id]
}
