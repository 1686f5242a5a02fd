package hosted

import (
	"context"
	"sync"
)

// sessionTable counts each caller's live Streamable HTTP sessions: those
// mcp-go holds state for, from the id minted at initialize until DELETE,
// the idle sweep (Config.SessionIdleTTL) or shutdown terminates it.
type sessionTable struct {
	mu    sync.Mutex
	max   int
	owner map[string]string // session id → caller key
	count map[string]int    // caller key → live sessions and reservations
}

func newSessionTable(max int) *sessionTable {
	return &sessionTable{max: max, owner: map[string]string{}, count: map[string]int{}}
}

// reservation is a session slot taken before mcp-go mints the id; an
// initialize that mints none gives it back.
type reservation struct {
	table *sessionTable
	key   string
	mu    sync.Mutex
	done  bool
}

type reservationKey struct{}

// reserve takes a slot for a session key is about to open, or reports
// false when key has max sessions.
func (t *sessionTable) reserve(key string) (*reservation, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.count[key] >= t.max {
		return nil, false
	}
	t.count[key]++
	return &reservation{table: t, key: key}, true
}

// commit records the minted session id in the reserved slot; a second id
// takes a slot of its own.
func (r *reservation) commit(sessionID string) {
	r.mu.Lock()
	first := !r.done
	r.done = true
	r.mu.Unlock()
	t := r.table
	t.mu.Lock()
	defer t.mu.Unlock()
	if !first {
		t.count[r.key]++
	}
	t.owner[sessionID] = r.key
}

// release gives the slot back unless a session id took it.
func (r *reservation) release() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.done {
		return
	}
	r.done = true
	r.table.drop(r.key)
}

func (t *sessionTable) drop(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.count[key]--; t.count[key] <= 0 {
		delete(t.count, key)
	}
}

// track records a session id key owns that the table does not know (its
// state was swept, or another replica opened it), within key's limit.
func (t *sessionTable) track(key, sessionID string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.owner[sessionID]; ok {
		return true
	}
	if t.count[key] >= t.max {
		return false
	}
	t.count[key]++
	t.owner[sessionID] = key
	return true
}

// end forgets a terminated session.
func (t *sessionTable) end(sessionID string) {
	t.mu.Lock()
	key, ok := t.owner[sessionID]
	delete(t.owner, sessionID)
	t.mu.Unlock()
	if ok {
		t.drop(key)
	}
}

func withReservation(ctx context.Context, r *reservation) context.Context {
	return context.WithValue(ctx, reservationKey{}, r)
}

func reservationFrom(ctx context.Context) *reservation {
	r, _ := ctx.Value(reservationKey{}).(*reservation)
	return r
}
