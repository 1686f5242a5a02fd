package cache

import (
	"sync"

	"github.com/polar-mcp/polar-mcp/polar"
)

// maxSubOwners bounds subOwners; past it, what it knows is dropped and
// learned again from the next subscription lists.
const maxSubOwners = 100_000

// subOwners maps subscription and order ids to their customer's Polar
// id, learned from subscription and order lists, so that a
// subscription's seats, and the disputes of a customer's orders, are
// owned by that customer (and dropped by that customer's events).
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

func (s *subOwners) learnOrders(orders []polar.Order) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil || len(s.m)+len(orders) > maxSubOwners {
		s.m = make(map[string]string, len(orders))
	}
	for _, o := range orders {
		id := o.CustomerID
		if o.Customer != nil && o.Customer.ID != "" {
			id = o.Customer.ID
		}
		if o.ID != "" && id != "" {
			s.m["order\x00"+o.ID] = id
		}
	}
}

// ofOrders returns the customer of every order in ids, or "" when one is
// not known or they are not all the same customer's.
func (s *subOwners) ofOrders(ids []string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	owner := ""
	for i, id := range ids {
		o := s.m["order\x00"+id]
		if o == "" || i > 0 && o != owner {
			return ""
		}
		owner = o
	}
	return owner
}

// of returns the customer of subscription id, or "" when not known.
func (s *subOwners) of(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[id]
}
