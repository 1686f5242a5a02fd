package fleet

import (
	"context"
	"log/slog"
	"time"
)

// reachTimeout bounds the start-up check that Polar answers.
const reachTimeout = 15 * time.Second

// ReportReachable asks Polar once for the token's organization and logs
// the outcome: where Polar was asked and why it could not answer (DNS,
// refused, timeout, proxy, TLS; a refused token) at WARN, or that it
// answered at INFO. Stdio runs it at start, and http before listening
// (for a single merchant whose organization nothing else asks for), so an
// unreachable Polar is named before the first tool call.
func (m *Merchant) ReportReachable(ctx context.Context) {
	pctx, cancel := context.WithTimeout(ctx, reachTimeout)
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
