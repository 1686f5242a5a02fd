package fleet

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// pumpTimeout bounds one Reserve the pump makes for the waiters.
const pumpTimeout = 2 * time.Second

// fairQueue hands an organization's request slots, while they are short,
// to the callers waiting for them in turn: one slot to each caller with a
// request waiting, round robin, each caller's requests first come first
// served. A customer asking fifty cold questions at once therefore gets
// one slot in every k (k callers waiting), not fifty before anyone else,
// and no caller waits behind more than one request of every other caller.
//
// It is this process's queue: instances sharing a budget through Redis
// each take turns among their own waiters, and the budget decides which
// instance books a freed slot first. Fairness is per instance.
//
// While slots are free nobody queues (Limiter.Wait books one directly).
// A request queues only when no slot is due now but one will be within
// its wait; then one goroutine, the pump, books each slot when it is due
// and hands it to the next caller in turn. Waiters leave at their own
// deadline; when the budget says the next slot is further away than a
// waiter's deadline, the pump refuses it at once.
type fairQueue struct {
	mu       sync.Mutex
	callers  map[string]*fairCaller
	ring     []*fairCaller // callers with requests waiting, in turn order
	turn     int           // index in ring of the caller served next
	waiting  int
	pumping  bool
	nextFree time.Time // when the budget last said a slot frees
}

// fairCaller is one caller's waiting requests, oldest first.
type fairCaller struct {
	key     string
	waiters []*fairWaiter
}

// fairWaiter is one request waiting for a slot. Exactly one result is
// sent on done once it has left the queue through the pump.
type fairWaiter struct {
	key      string
	deadline time.Time
	queued   bool
	done     chan fairResult
}

// fairResult is a slot for a waiter, or its refusal (wait until a slot
// frees), or the budget's error.
type fairResult struct {
	slot Slot
	wait time.Duration
	err  error
}

// fairKey is who a request is for, as the edge verified it: the
// connection and the caller's identity (role, email, external ids; the
// token's subject for an agent). Requests without a caller (the operator
// on stdio, start-up) share one key.
func fairKey(ctx context.Context) string {
	id, ok := caller.From(ctx)
	if !ok {
		return ""
	}
	who := id.Email + "\x00" + id.ExternalID + "\x00" + id.MemberExternalID
	if id.Role != caller.Customer {
		who = id.Subject + "\x00" + id.Email
	}
	return strings.Join([]string{id.Connection, string(id.Role), who}, "\x00")
}

// join queues a request of key until deadline. It returns nil and the
// wait until a slot frees when the last known free slot is beyond
// deadline (the request is refused at once).
func (q *fairQueue) join(key string, deadline, now time.Time) (*fairWaiter, time.Duration, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.pumping && q.nextFree.After(deadline) {
		return nil, q.nextFree.Sub(now), false
	}
	if q.callers == nil {
		q.callers = map[string]*fairCaller{}
	}
	c := q.callers[key]
	if c == nil {
		c = &fairCaller{key: key}
		q.callers[key] = c
		q.ring = append(q.ring, c)
	}
	w := &fairWaiter{key: key, deadline: deadline, queued: true, done: make(chan fairResult, 1)}
	c.waiters = append(c.waiters, w)
	q.waiting++
	start := !q.pumping
	if start {
		q.nextFree = time.Time{} // the last pump's estimate may be stale
	}
	q.pumping = true
	return w, 0, start
}

// leave takes w out of the queue when it is still there; it reports
// false when the pump already sent it a result.
func (q *fairQueue) leave(w *fairWaiter) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !w.queued {
		return false
	}
	q.remove(w)
	return true
}

// remove takes w out; q.mu is held.
func (q *fairQueue) remove(w *fairWaiter) {
	w.queued = false
	q.waiting--
	c := q.callers[w.key]
	for i, x := range c.waiters {
		if x == w {
			c.waiters = append(c.waiters[:i], c.waiters[i+1:]...)
			break
		}
	}
	if len(c.waiters) == 0 {
		delete(q.callers, w.key)
		for i, x := range q.ring {
			if x == c {
				q.ring = append(q.ring[:i], q.ring[i+1:]...)
				if i < q.turn {
					q.turn--
				}
				break
			}
		}
	}
	if q.turn >= len(q.ring) {
		q.turn = 0
	}
}

// next takes the oldest request of the caller whose turn it is and moves
// the turn on; nil when nobody waits, and then the pump stops.
func (q *fairQueue) next() *fairWaiter {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.waiting == 0 {
		q.pumping = false
		return nil
	}
	c := q.ring[q.turn]
	w := c.waiters[0]
	q.turn++ // remove keeps the turn on the caller after c
	q.remove(w)
	return w
}

// refuseBefore records that the next slot frees at free, and refuses
// every waiter whose deadline comes first. It reports whether anyone is
// still waiting; when nobody is, the pump stops.
func (q *fairQueue) refuseBefore(free, now time.Time) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.nextFree = free
	for _, c := range append([]*fairCaller(nil), q.ring...) {
		for _, w := range append([]*fairWaiter(nil), c.waiters...) {
			if w.deadline.Before(free) {
				q.remove(w)
				w.done <- fairResult{wait: free.Sub(now)}
			}
		}
	}
	if q.waiting == 0 {
		q.pumping = false
		return false
	}
	return true
}

// freeAt is when the budget last said a slot frees.
func (q *fairQueue) freeAt() time.Time {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.nextFree
}

// Waiting returns how many requests wait for a slot in this process.
func (q *fairQueue) Waiting() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.waiting
}

// pump books each slot of org when it is due and hands it to the next
// caller in turn, until nobody waits.
func (l *Limiter) pump() {
	for {
		ctx, cancel := context.WithTimeout(context.Background(), pumpTimeout)
		slot, err := l.budget.Reserve(ctx, l.org, 0)
		cancel()
		switch {
		case err != nil:
			// Only a timeout of the budget's store: the next in turn is
			// told, the others are served when it answers again.
			if w := l.fair.next(); w != nil {
				w.done <- fairResult{err: err}
				continue
			}
			return
		case slot.OK:
			w := l.fair.next()
			if w == nil {
				l.budget.Release(context.Background(), l.org, slot)
				return
			}
			w.done <- fairResult{slot: slot}
		default:
			now := time.Now()
			if !l.fair.refuseBefore(now.Add(slot.Wait), now) {
				return
			}
			// At least a millisecond: a budget on a clock that stands
			// still (tests) is not asked in a loop.
			time.Sleep(max(slot.Wait, time.Millisecond))
		}
	}
}
