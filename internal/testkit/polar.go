package testkit

import (
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
)

// Cache wraps an adapter in a cache with the default lifetimes, whatever
// its connection. Instantiated as Cache[connections.Connection] it is a
// merchants.RouterConfig.NewCache.
func Cache[C any](c polar.Client, _ C) *cache.Client { return cache.New(c, cache.Config{}) }
