package fleet

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/tenants/connections"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
)

// learnTimeout bounds one probe for the single merchant's organization;
// learnRetryMax caps the wait between probes that failed.
const (
	learnTimeout  = 15 * time.Second
	learnRetryMax = 5 * time.Minute
)

// Merchant is the single merchant's cached adapter. Its organization is
// learned by probing the token (LearnOrganization), once per start: until
// then it has a rate limiter of its own (with Redis, at the share of one
// instance, budget ÷ POLAR_MCP_EXPECTED_INSTANCES), and afterwards the
// organization's, shared with every connection to it and every instance.
type Merchant struct {
	*cache.Client
	a       *Adapters
	env     connections.Environment
	sdk     *polar.SDKClient
	limiter switchLimiter
	org     atomic.Pointer[string]
}

// Org returns the merchant's organization id, "" until learned.
func (m *Merchant) Org() string {
	if p := m.org.Load(); p != nil {
		return *p
	}
	return ""
}

// LearnOrganization asks Polar for the token's organization (one request,
// two without organizations:read) until it is known or ctx ends (retrying
// with backoff), then moves the merchant to its organization's shared
// rate budget and invalidations.
func (m *Merchant) LearnOrganization(ctx context.Context) {
	wait, warned := time.Second, false
	for ctx.Err() == nil {
		pctx, cancel := context.WithTimeout(ctx, learnTimeout)
		org, err := m.sdk.OrganizationID(pctx)
		cancel()
		if err == nil && org != "" {
			m.adopt(pctx, org)
			return
		}
		reason := "no request revealed it"
		if err != nil {
			reason = err.Error()
		}
		// Once in the log at warning level; the retries at debug.
		level := slog.LevelDebug
		if !warned {
			level, warned = slog.LevelWarn, true
		}
		m.a.log.Log(ctx, level, "single merchant: organization not known yet; until it is, replicas with the same "+
			"token share one budget, its webhooks reach its own cache only and billing answers are kept at most 5s "+
			"(see /readyz, polarmcp_degraded{reason=\"organization_unknown\"})",
			slog.String("reason", reason), slog.Duration("retry_in", wait))
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
		wait = min(wait*2, learnRetryMax)
	}
}

// adopt makes org the merchant's organization, and its budget the one
// shared with every connection and instance (adoptLimiter counts what the
// merchant spent before).
func (m *Merchant) adopt(ctx context.Context, org string) {
	m.limiter.set(m.a.adoptLimiter(context.WithoutCancel(ctx), m.env, org, m.sdk.Stats().Requests))
	if m.a.fleet != nil {
		m.a.fleet.Register(org, "", m.Client, m.a.cfg.WebhookSecret != "")
	}
	// Known last: once Org reports it, the budget, the invalidations and
	// the shared tier are the organization's.
	m.org.Store(&org)
	m.a.log.Info("single merchant: organization known; its rate budget is shared", slog.String("organization", org))
}

// switchLimiter is a polar.RateLimiter whose limiter can be replaced.
type switchLimiter struct{ cur atomic.Pointer[limiterBox] }

type limiterBox struct{ l polar.RateLimiter }

var _ polar.RateLimiter = (*switchLimiter)(nil)

func (s *switchLimiter) set(l polar.RateLimiter) { s.cur.Store(&limiterBox{l}) }
func (s *switchLimiter) get() polar.RateLimiter  { return s.cur.Load().l }

// Wait implements polar.RateLimiter.
func (s *switchLimiter) Wait(ctx context.Context, opID string) (bool, error) {
	return s.get().Wait(ctx, opID)
}

// Pause implements polar.RateLimiter.
func (s *switchLimiter) Pause(d time.Duration) { s.get().Pause(d) }

// Settle implements polar.RateLimiter. A probe let through by a limiter
// since replaced is settled on the current one, which ignores it.
func (s *switchLimiter) Settle(probe, answered bool) { s.get().Settle(probe, answered) }

// RateCounters returns the current limiter's counters.
func (s *switchLimiter) RateCounters() polar.RateCounters {
	if rc, ok := s.get().(interface{ RateCounters() polar.RateCounters }); ok {
		return rc.RateCounters()
	}
	return polar.RateCounters{}
}
