package fleet

import "context"

// Changes tells live views (the agent panel) that what Polar holds about
// a customer changed: the same invalidations that drop cached answers,
// from webhooks received by any instance.
type Changes interface {
	// Subscribe returns a channel that receives a value each time
	// customer customerID of connection ("" for the single merchant)
	// changes, or may have (after missed invalidations), and a func that
	// ends the subscription; ending ctx ends it too. Signals coalesce:
	// one pending value stands for any number of changes. The channel is
	// never closed.
	Subscribe(ctx context.Context, connection, customerID string) (<-chan struct{}, func())
}

var _ Changes = (*Fleet)(nil)

type subscription struct {
	connection, customer string
	ch                   chan struct{}
}

// Subscribe implements Changes.
func (f *Fleet) Subscribe(ctx context.Context, connection, customerID string) (<-chan struct{}, func()) {
	s := &subscription{connection: connection, customer: customerID, ch: make(chan struct{}, 1)}
	f.mu.Lock()
	f.subs[s] = struct{}{}
	f.mu.Unlock()
	stopped := make(chan struct{})
	stop := func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		if _, ok := f.subs[s]; ok {
			delete(f.subs, s)
			close(stopped)
		}
	}
	go func() {
		select {
		case <-ctx.Done():
			stop()
		case <-stopped:
		}
	}()
	return s.ch, stop
}

// notify signals the subscribers inv concerns.
func (f *Fleet) notify(inv Invalidation) {
	if inv.Kind != KindCustomer && inv.Kind != KindBilling && inv.Kind != KindAll {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for s := range f.subs {
		org, known := f.orgOf[s.connection]
		orgMatch := (inv.Kind == KindAll && inv.Org == "" && !inv.Merchant) ||
			(known && inv.Org != "" && org == inv.Org) || (inv.Merchant && s.connection == "")
		if !orgMatch || (inv.Kind != KindAll && inv.CustomerID != s.customer) {
			continue
		}
		select {
		case s.ch <- struct{}{}:
		default: // one signal pending already
		}
	}
}
