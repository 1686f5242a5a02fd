package polarmcp

import (
	"sync"

	"github.com/polar-mcp/polar-mcp/fleet"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/fleetlimit"
)

// processBudget paces the organizations this process paces alone (no
// Redis) with the same hard ceiling as the shared budget: a sliding-window
// log (fleet.LocalBudget) over budgetWindow, so no 60 s ever holds more
// than an organization's budget, bursts included.
type processBudget struct {
	*fleet.LocalBudget

	mu     sync.Mutex
	limits map[string]int // organization -> requests per window
}

func newProcessBudget() *processBudget {
	b := &processBudget{limits: map[string]int{}}
	b.LocalBudget = fleet.NewLocalBudget(fleet.Limits{PerWindow: 1, For: b.limit, Window: budgetWindow}, nil)
	return b
}

func (b *processBudget) limit(org string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.limits[org]
}

// lower sets org's budget to perWindow, unless it has a lower one.
func (b *processBudget) lower(org string, perWindow int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if cur, ok := b.limits[org]; !ok || perWindow < cur {
		b.limits[org] = perWindow
	}
}

// ownLimiter paces, with the same ceiling, requests whose organization
// is not known yet: a budget of their own, dropped with the limiter.
func ownLimiter(perWindow int) polar.RateLimiter {
	own := fleet.NewLocalBudget(fleet.Limits{PerWindow: perWindow, Window: budgetWindow}, nil)
	return fleetlimit.New(own, "", 0)
}
