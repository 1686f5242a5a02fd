package polar

// Pausing after a 429
//
// A 429 pauses the Limiter until its Retry-After, at most
// MaxRateLimitPause, so that a Polar (or a proxy) asking for a day of
// silence cannot mute an organization until restart. When the pause ends
// the Limiter is half-open: exactly one request, the probe, is sent.
// Every other request waits for the probe's answer (within its own wait
// limit) or is refused. Any answer but a 429 closes the Limiter again and
// normal pacing resumes, one interval apart; a 429 pauses it anew; a probe
// that got no answer lets the next request probe.

import (
	"time"
)

// pause stops every request until d from now (at least minPause, at most
// MaxRateLimitPause), after a 429, and makes the Limiter half-open.
func (l *Limiter) pause(d time.Duration) {
	if l == nil {
		return
	}
	until := l.now().Add(min(max(d, minPause), MaxRateLimitPause))
	l.pauses.Add(1)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pausedUntil = later(l.pausedUntil, until)
	l.tat = later(l.tat, l.pausedUntil.Add(l.tolerance))
	l.gate.Open()
}

// reserveProbe is reserve while half-open; l.mu is held.
func (l *Limiter) reserveProbe(now time.Time, limit time.Duration) reservation {
	wait := max(l.pausedUntil.Sub(now), 0)
	settled := l.gate.Probing()
	switch {
	case settled != nil && wait+minPause > limit:
		// The probe cannot be answered within the limit.
		return reservation{wait: max(wait, minPause), refused: true}
	case settled != nil:
		return reservation{settled: settled}
	case wait > limit:
		return reservation{wait: wait, refused: true}
	}
	l.gate.Begin()
	l.tat = later(l.tat, l.pausedUntil.Add(l.tolerance)).Add(l.interval)
	return reservation{wait: wait, probe: true}
}

// settle ends the probe a request was let through as: answered reports
// that Polar answered with anything but a 429, which closes the Limiter.
// It does nothing for a request that was not the probe.
func (l *Limiter) settle(probe, answered bool) {
	if l == nil || !probe {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.gate.Settle(answered)
}
