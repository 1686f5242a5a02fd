package polar

// Polar allows each organization a number of requests per minute (500 in
// production, 100 in sandbox) and answers 429 with Retry-After beyond.
// A RateLimiter (ratelimiter.go; package internal/fleet's Limiter in the
// server) keeps one organization under that budget before Polar has to
// refuse anything: SDKClient.do takes a slot from it before every HTTP
// request (each page and each retry counts), and a 429 pauses it until
// Retry-After (at most MaxRateLimitPause). RateBudget is the budget it
// enforces.

import (
	"errors"
	"math"
	"strings"
	"time"

	"github.com/polar-mcp/polar-mcp/config"
)

// Published per-organization request limits, and the limiter defaults.
const (
	ProductionRequestsPerMinute = 500
	SandboxRequestsPerMinute    = 100
	// DefaultHeadroom is the fraction of the limit left unused.
	DefaultHeadroom = 0.1
	// DefaultRateLimitWait is the longest a request waits for a slot.
	DefaultRateLimitWait = 2 * time.Second
	// MaxRateLimitPause bounds the pause after a 429, whatever its
	// Retry-After, and any wait an *Error reports.
	MaxRateLimitPause = 2 * time.Minute
)

// ErrBudgetSpent is the cause of a KindRateLimited *Error produced by a
// RateLimiter: the request was not sent.
var ErrBudgetSpent = errors.New("request not sent: the organization's request budget is spent")

// RateBudget returns the requests per minute the organization of cfg may
// send: cfg.RequestsPerMinute, or the published limit of its
// environment (production for a custom ServerURL), less cfg.Headroom. It
// returns 0 when cfg.RequestsPerMinute is negative: no limiting.
func RateBudget(cfg Config) int {
	limit := cfg.RequestsPerMinute
	switch {
	case limit < 0:
		return 0
	case limit > 0:
	case cfg.ServerURL == "" && strings.EqualFold(strings.TrimSpace(cfg.Environment), config.Sandbox):
		limit = SandboxRequestsPerMinute
	default:
		limit = ProductionRequestsPerMinute
	}
	headroom := cfg.Headroom
	switch {
	case headroom == 0:
		headroom = DefaultHeadroom
	case headroom < 0 || math.IsNaN(headroom):
		headroom = 0
	case headroom > 0.9:
		headroom = 0.9
	}
	return max(int(float64(limit)*(1-headroom)), 1)
}
