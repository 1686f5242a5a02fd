package fleet

import (
	"sync"

	"github.com/polar-mcp/polar-mcp/polar"
)

// orgLimits is each organization's budget, requests per window: the
// lowest any of its connections (or the server) asks for.
type orgLimits struct {
	mu sync.Mutex
	m  map[string]int
}

func (l *orgLimits) limit(org string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.m[org]
}

// lower sets org's budget to perWindow, unless it has a lower one.
func (l *orgLimits) lower(org string, perWindow int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil {
		l.m = map[string]int{}
	}
	if cur, ok := l.m[org]; !ok || perWindow < cur {
		l.m[org] = perWindow
	}
}

// processBudget paces the organizations this process paces alone (no
// Redis) with the same hard ceiling as the shared budget: a sliding-window
// log (LocalBudget) over budgetWindow, so no 60 s ever holds more
// than an organization's budget, bursts included.
type processBudget struct {
	*LocalBudget
	orgLimits
}

func newProcessBudget() *processBudget {
	b := &processBudget{}
	b.LocalBudget = NewLocalBudget(Limits{PerWindow: 1, For: b.limit, Window: budgetWindow}, nil)
	return b
}

// ownLimiter paces, with the same ceiling, requests whose organization
// is not known yet: a budget of their own, dropped with the limiter.
func ownLimiter(perWindow int) polar.RateLimiter {
	own := NewLocalBudget(Limits{PerWindow: perWindow, Window: budgetWindow}, nil)
	return NewLimiter(own, "", 0)
}
