package cache

import "context"

// The outcomes of a cacheable read.
const (
	OutcomeHit       = "hit"       // answered from the cache
	OutcomeMiss      = "miss"      // answered by this caller's upstream call
	OutcomeCoalesced = "coalesced" // answered by another caller's call in flight
)

// Event is the outcome of one cacheable read.
type Event struct {
	// Kind is the read's operation id, e.g. "customers:list" (the email
	// lookup) or "products:list". It never holds the read's key.
	Kind string
	// Outcome is OutcomeHit, OutcomeMiss or OutcomeCoalesced.
	Outcome string
}

// Observer is told of every cacheable read's outcome, for metrics and
// traces (package observe). It must not block.
type Observer interface {
	OnCache(ctx context.Context, e Event)
}

type nopObserver struct{}

func (nopObserver) OnCache(context.Context, Event) {}
