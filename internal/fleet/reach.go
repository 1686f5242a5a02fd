package fleet

import (
	"context"
	"log/slog"
	"time"
)

// ReachInBackground and ReachBeforeListening bound the start-up check
// that Polar answers: stdio asks beside its session, http before it
// listens, where a Polar that never answers must not hold the port closed
// for long.
const (
	ReachInBackground    = 15 * time.Second
	ReachBeforeListening = 3 * time.Second
)

// ReportReachable asks Polar once for the token's organization and logs
// the outcome: where Polar was asked and why it could not answer (DNS,
// refused, timeout, proxy, TLS; a refused token) at WARN, or that it
// answered at INFO. Stdio runs it at start, and http before listening
// (for a single merchant whose organization nothing else asks for), so an
// unreachable Polar is named before the first tool call. A Polar silent
// for longer than within is named as a timeout.
func (m *Merchant) ReportReachable(ctx context.Context, within time.Duration) {
	pctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	org, err := m.sdk.OrganizationID(pctx)
	switch {
	case ctx.Err() != nil:
	case err != nil:
		m.a.log.Warn("Polar did not answer at start: tool calls will fail until it does",
			slog.String("error", err.Error()))
	default:
		m.a.log.Info("Polar answered at start", slog.String("organization", org))
	}
}
