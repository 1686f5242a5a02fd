package testkit

import (
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
)

// Limiter paces an organization at perMinute, or when it is 0 at Polar's
// published limit for env, less the default headroom (a new limiter per
// call, whatever the organization). Instantiated as
// Limiter[connections.Environment] it is a merchants.LimiterFunc.
func Limiter[E ~string](env E, _ string, perMinute int) polar.RateLimiter {
	return polar.NewLimiter(polar.LimiterConfig{RequestsPerMinute: polar.RateBudget(polar.Config{
		Environment: string(env), RequestsPerMinute: perMinute})})
}

// Cache wraps an adapter in a cache with the default lifetimes, whatever
// its connection. Instantiated as Cache[connections.Connection] it is a
// merchants.RouterConfig.NewCache.
func Cache[C any](c polar.Client, _ C) *cache.Client { return cache.New(c, cache.Config{}) }
