package fleet

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// Kind says what an Invalidation makes stale.
type Kind string

// Invalidation kinds.
const (
	// KindCustomer: the customer entry (email -> customer) and all that
	// is kept about the customer.
	KindCustomer Kind = "customer"
	// KindBilling: the customer's subscriptions, orders and state.
	KindBilling Kind = "billing"
	// KindCatalog: the organization's products and benefits.
	KindCatalog Kind = "catalog"
	// KindOrganization: the organization itself.
	KindOrganization Kind = "organization"
	// KindMember: one member (MemberID, of CustomerID) changed or went:
	// the member index looks it up again.
	KindMember Kind = "member"
	// KindAll: anything may be stale (a subscriber missed messages).
	KindAll Kind = "all"
)

// Invalidation says which cached answers are stale. It never carries an
// email in clear: EmailHash is HashEmail's.
type Invalidation struct {
	Org string `json:"org,omitempty"`
	// Merchant marks an invalidation from the single merchant's webhook
	// endpoint: it reaches the single merchant's cache on every instance,
	// whatever Org is (empty while its organization is unknown). An
	// invalidation with neither Org nor Merchant reaches no cache, except
	// KindAll, which a subscriber that missed messages gets.
	Merchant   bool   `json:"merchant,omitempty"`
	Kind       Kind   `json:"kind"`
	CustomerID string `json:"customer_id,omitempty"`
	EmailHash  string `json:"email_hash,omitempty"`
	MemberID   string `json:"member_id,omitempty"`
	// Event, Record and At carry a webhook's record to write through
	// (webhooks.Carries: subscription, order, benefit grant, refund,
	// customer, customer state, member, seat): its type, its data as
	// Polar sent it, and the event's timestamp, for ordering. Every
	// instance applies the same write; one that cannot drops what Kind
	// names instead.
	Event  string    `json:"event,omitempty"`
	Record string    `json:"record,omitempty"`
	At     time.Time `json:"at,omitzero"`
}

// HashEmail returns the hex SHA-256 of the normalized email, for
// Invalidation.EmailHash (to drop a kept "no such customer").
func HashEmail(email string) string {
	sum := sha256.Sum256([]byte(caller.NormalizeEmail(email)))
	return hex.EncodeToString(sum[:])
}

// Bus fans invalidations out to every instance.
type Bus interface {
	// Publish sends inv to every subscriber, this process's included.
	Publish(ctx context.Context, inv Invalidation) error
	// Subscribe calls fn for each invalidation published from now on,
	// until ctx is done. It returns once the subscription is in place.
	// fn is called from one goroutine per subscription.
	Subscribe(ctx context.Context, fn func(Invalidation)) error
}

// LocalBus is a Bus within one process.
type LocalBus struct {
	mu   sync.Mutex
	next int
	subs map[int]chan Invalidation
}

var _ Bus = (*LocalBus)(nil)

// NewLocalBus returns an empty LocalBus.
func NewLocalBus() *LocalBus { return &LocalBus{subs: map[int]chan Invalidation{}} }

// subQueue bounds what a slow subscriber may have pending; past it, it
// gets one KindAll instead.
const subQueue = 1024

// Publish implements Bus.
func (b *LocalBus) Publish(_ context.Context, inv Invalidation) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, ch := range b.subs {
		select {
		case ch <- inv:
		default:
			drainTo(ch, Invalidation{Kind: KindAll})
		}
	}
	return nil
}

// drainTo empties a full queue and leaves inv in it.
func drainTo(ch chan Invalidation, inv Invalidation) {
	for {
		select {
		case <-ch:
			continue
		default:
		}
		break
	}
	select {
	case ch <- inv:
	default:
	}
}

// Subscribe implements Bus.
func (b *LocalBus) Subscribe(ctx context.Context, fn func(Invalidation)) error {
	ch := make(chan Invalidation, subQueue)
	b.mu.Lock()
	id := b.next
	b.next++
	b.subs[id] = ch
	b.mu.Unlock()
	go func() {
		defer func() {
			b.mu.Lock()
			delete(b.subs, id)
			b.mu.Unlock()
		}()
		for {
			select {
			case <-ctx.Done():
				return
			case inv := <-ch:
				fn(inv)
			}
		}
	}()
	return nil
}
