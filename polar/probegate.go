package polar

import (
	"context"
	"time"
)

// ProbeGate is the half-open state of a rate limiter after a 429: once
// opened, one request goes through as the probe and the others wait for
// its answer; an answer but a 429 closes the gate. It holds no lock of
// its own: its owner guards it with the limiter's. The zero value is
// closed.
type ProbeGate struct {
	halfOpen bool          // paused, and no answer but a 429 since
	probing  bool          // the probe is in flight
	done     chan struct{} // closed when the probe is settled
}

// Open makes the gate half-open (after a 429).
func (g *ProbeGate) Open() { g.halfOpen = true }

// HalfOpen reports whether requests must go through the probe.
func (g *ProbeGate) HalfOpen() bool { return g.halfOpen }

// Probing returns the channel closed when the probe in flight is settled,
// or nil when no probe is in flight.
func (g *ProbeGate) Probing() <-chan struct{} {
	if !g.probing {
		return nil
	}
	return g.done
}

// Begin makes the caller's request the probe.
func (g *ProbeGate) Begin() {
	g.probing = true
	g.done = make(chan struct{})
}

// Settle ends the probe in flight: answered (anything but a 429) closes
// the gate, otherwise the next request probes. It does nothing when no
// probe is in flight.
func (g *ProbeGate) Settle(answered bool) {
	if !g.probing {
		return
	}
	g.probing = false
	if answered {
		g.halfOpen = false
	}
	close(g.done)
	g.done = nil
}

// AwaitProbe waits until settled (from Probing) is closed, at most limit,
// holding no lock: a request waiting for the probe's answer. Only ctx's
// end is an error.
func AwaitProbe(ctx context.Context, settled <-chan struct{}, limit time.Duration) error {
	t := time.NewTimer(max(limit, 0))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-settled:
	case <-t.C:
	}
	return nil
}
