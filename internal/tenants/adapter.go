package tenants

import (
	"context"

	"github.com/polar-mcp/polar-mcp/internal/tenants/connections"
	"github.com/polar-mcp/polar-mcp/polar"
)

// Adapter is one connection's uncached Polar adapter: the Client the tools
// use, and the token probe. *polar.SDKClient is one.
type Adapter interface {
	polar.Client
	Probe(ctx context.Context) (*polar.Probe, error)
}

// AdapterFunc builds the adapter for a Polar access token in an
// environment, pacing its requests with limiter, which is shared by every
// adapter of the same connection. Which server an environment means is the
// operator's setting, never the connection's.
type AdapterFunc func(env connections.Environment, token string, limiter polar.RateLimiter) (Adapter, error)

// LimiterFunc returns the rate limiter of Polar organization org in env:
// the one every adapter of that organization shares. org is "" when it is
// not known yet (a token being added): the limiter is then its own.
// perMinute is the connection's own budget (connections.Connection's
// RateLimit), 0 for the server's; an organization's budget is the lowest
// any of its connections asks for.
type LimiterFunc func(env connections.Environment, org string, perMinute int) polar.RateLimiter

// Store is what the service and the router need of the connection store.
// *connections.Store is one.
type Store interface {
	Create(ctx context.Context, n connections.NewConnection) (connections.Connection, connections.Secret, error)
	Get(ctx context.Context, id string) (connections.Connection, error)
	List(ctx context.Context) ([]connections.Connection, error)
	UpdateCheck(ctx context.Context, id string, scopes []string, org connections.Organization) (connections.Connection, error)
	Disable(ctx context.Context, id string) (connections.Connection, error)
	Enable(ctx context.Context, id string) (connections.Connection, error)
	Remove(ctx context.Context, id string) error
	Credentials(ctx context.Context, id string) (connections.Credentials, error)
	RotateSecret(ctx context.Context, id string) (connections.Secret, error)
	SetWebhookSecret(ctx context.Context, id, secret string) (connections.Connection, error)
	SetRateLimit(ctx context.Context, id string, perMinute int) (connections.Connection, error)
}

var _ Store = (*connections.Store)(nil)
