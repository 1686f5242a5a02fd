package testkit

import (
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
)

// Limiter paces an organization at Polar's published limit for env, less
// the default headroom. Instantiated as Limiter[connections.Environment]
// it is a merchants.LimiterFunc.
func Limiter[E ~string](env E) *polar.Limiter {
	return polar.NewLimiter(polar.LimiterConfig{RequestsPerMinute: polar.RateBudget(polar.Config{Environment: string(env)})})
}

// Cache wraps an adapter in a cache with the default lifetimes.
func Cache(c polar.Client) *cache.Client { return cache.New(c, cache.Config{}) }
