package tenants

import (
	"context"
	"errors"
	"log/slog"
	"strings"

	"github.com/polar-mcp/polar-mcp/internal/tenants/connections"
	"github.com/polar-mcp/polar-mcp/polar"
)

// Live is the running server's side of a connection change: *Router is
// one. The service tells it what changed, and probes with the
// connection's own rate limiter.
type Live interface {
	// Forget drops a connection's adapter (disabled, removed).
	Forget(id string)
	// Refresh makes the next request read the connection again, keeping
	// its adapter when the token is unchanged (new signing secret).
	Refresh(id string)
	Limiter(id string, env connections.Environment, org string, perMinute int) polar.RateLimiter
}

// Service connects, checks and manages merchants' connections. It is safe
// for concurrent use.
type Service struct {
	store      Store
	newAdapter AdapterFunc
	newLimiter LimiterFunc
	live       Live
	log        *slog.Logger
}

// ServiceConfig configures NewService.
type ServiceConfig struct {
	// Store holds the connections. Required.
	Store Store
	// NewAdapter builds the adapter that probes a token. Required.
	NewAdapter AdapterFunc
	// NewLimiter paces probes of connections Live does not hold. Required.
	NewLimiter LimiterFunc
	// Live is the router of a running server, or nil (the CLI).
	Live Live
	// Logger receives what changed, never secrets; slog.Default() when nil.
	Logger *slog.Logger
}

// NewService returns a Service for cfg.
func NewService(cfg ServiceConfig) (*Service, error) {
	if cfg.Store == nil || cfg.NewAdapter == nil || cfg.NewLimiter == nil {
		return nil, errors.New("merchants: ServiceConfig needs a Store, a NewAdapter and a NewLimiter")
	}
	s := &Service{store: cfg.Store, newAdapter: cfg.NewAdapter, newLimiter: cfg.NewLimiter, live: cfg.Live, log: cfg.Logger}
	if s.log == nil {
		s.log = slog.Default()
	}
	return s, nil
}

// AddRequest is what a merchant supplies to connect.
type AddRequest struct {
	// Name is shown to people; the organization's name when empty.
	Name string
	// Environment is "production" or "sandbox" (Polar's Test Mode).
	Environment string
	// Token is the Polar organization access token, in plaintext.
	Token string
}

// Added is a new connection, with its signing secret, shown only now.
type Added struct {
	Connection    connections.Connection
	SigningSecret connections.Secret
	// Warnings explain optional scopes the token lacks.
	Warnings []string
}

// Add checks the token against Polar and saves the connection. It refuses
// a token that does not start with polar_ before any request, a token
// Polar rejects (ErrUnauthorized, with what to check), and a token missing
// a required read scope (*MissingScopesError). A token without
// customer_sessions:write is saved with a warning.
func (s *Service) Add(ctx context.Context, req AddRequest) (Added, error) {
	env, err := connections.ParseEnvironment(req.Environment)
	if err != nil {
		return Added{}, err
	}
	token, err := checkTokenShape(req.Token)
	if err != nil {
		return Added{}, err
	}
	adapter, err := s.newAdapter(env, token, s.newLimiter(env, "", 0))
	if err != nil {
		return Added{}, err
	}
	v, err := verify(ctx, adapter, env)
	if err != nil {
		return Added{}, err
	}
	name := strings.TrimSpace(req.Name)
	if name == "" && v.Organization.Name == "" {
		return Added{}, invalid("a name is required: this token cannot read its organization's name " +
			"(organizations:read is not granted, and need not be)")
	}
	c, secret, err := s.store.Create(ctx, connections.NewConnection{
		Name: name, Environment: env, Token: token, Organization: v.Organization, Scopes: v.Scopes,
	})
	if err != nil {
		return Added{}, err
	}
	s.log.Info("connection added", slog.String("connection", c.ID), slog.String("environment", string(env)),
		slog.String("organization", c.Organization.ID), slog.Any("missing_scopes", v.Missing))
	return Added{Connection: c, SigningSecret: secret, Warnings: v.Warnings}, nil
}

// Checked is the result of checking a connection again.
type Checked struct {
	Connection connections.Connection
	Warnings   []string
}

// Check probes a connection's token again and records the scopes and
// organization found. It fails like Add when Polar rejects the token
// (nothing is recorded) or when a required read scope is missing (the
// scopes that work are recorded first).
func (s *Service) Check(ctx context.Context, id string) (Checked, error) {
	c, err := s.store.Get(ctx, id)
	if err != nil {
		return Checked{}, err
	}
	creds, err := s.store.Credentials(ctx, id)
	if err != nil {
		return Checked{}, err
	}
	limiter := s.newLimiter(c.Environment, c.Organization.ID, c.RateLimit)
	if s.live != nil {
		limiter = s.live.Limiter(id, c.Environment, c.Organization.ID, c.RateLimit)
	}
	adapter, err := s.newAdapter(c.Environment, creds.Token.Reveal(), limiter)
	if err != nil {
		return Checked{}, err
	}
	v, verr := verify(ctx, adapter, c.Environment)
	var missing *MissingScopesError
	if verr != nil && !errors.As(verr, &missing) {
		return Checked{}, verr
	}
	c, err = s.store.UpdateCheck(ctx, id, v.Scopes, v.Organization)
	if err != nil {
		return Checked{}, err
	}
	s.log.Info("connection checked", slog.String("connection", id), slog.Any("missing_scopes", v.Missing))
	return Checked{Connection: c, Warnings: v.Warnings}, verr
}

// Get returns a connection, without its secrets.
func (s *Service) Get(ctx context.Context, id string) (connections.Connection, error) {
	return s.store.Get(ctx, id)
}

// List returns every connection, without their secrets.
func (s *Service) List(ctx context.Context) ([]connections.Connection, error) {
	return s.store.List(ctx)
}

// RotateSecret gives a connection a new signing secret, returned to be
// shown once. Caller tokens signed with the old one are refused from the
// next request on.
func (s *Service) RotateSecret(ctx context.Context, id string) (connections.Secret, error) {
	secret, err := s.store.RotateSecret(ctx, id)
	if err != nil {
		return "", err
	}
	if s.live != nil {
		s.live.Refresh(id)
	}
	s.log.Info("signing secret rotated", slog.String("connection", id))
	return secret, nil
}

// SetWebhookSecret stores the secret Polar signs the connection's webhooks
// with ("" removes it); deliveries to /c/{id}/webhooks/polar are then
// verified with it, and its billing answers may be kept longer.
func (s *Service) SetWebhookSecret(ctx context.Context, id, secret string) (connections.Connection, error) {
	c, err := s.store.SetWebhookSecret(ctx, id, secret)
	if err != nil {
		return c, err
	}
	if s.live != nil {
		s.live.Refresh(id)
	}
	s.log.Info("webhook secret set", slog.String("connection", id), slog.Bool("set", c.WebhookSecretSet))
	return c, nil
}

// SetRateLimit sets the connection's own Polar budget in requests per
// minute (0: the server's); the server's headroom still applies. Its
// adapter is built again with it on the next request.
func (s *Service) SetRateLimit(ctx context.Context, id string, perMinute int) (connections.Connection, error) {
	c, err := s.store.SetRateLimit(ctx, id, perMinute)
	if err != nil {
		return c, err
	}
	if s.live != nil {
		s.live.Forget(id)
	}
	s.log.Info("rate limit set", slog.String("connection", id), slog.Int("requests_per_minute", perMinute))
	return c, nil
}

// Disable stops serving a connection at once; its data is kept.
func (s *Service) Disable(ctx context.Context, id string) (connections.Connection, error) {
	c, err := s.store.Disable(ctx, id)
	if err != nil {
		return c, err
	}
	s.changed(id, "connection disabled")
	return c, nil
}

// Enable serves a disabled connection again.
func (s *Service) Enable(ctx context.Context, id string) (connections.Connection, error) {
	c, err := s.store.Enable(ctx, id)
	if err != nil {
		return c, err
	}
	s.changed(id, "connection enabled")
	return c, nil
}

// Remove deletes a connection and its encrypted credentials.
func (s *Service) Remove(ctx context.Context, id string) error {
	if err := s.store.Remove(ctx, id); err != nil {
		return err
	}
	s.changed(id, "connection removed")
	return nil
}

// changed tells the live router and the log.
func (s *Service) changed(id, what string) {
	if s.live != nil {
		s.live.Forget(id)
	}
	s.log.Info(what, slog.String("connection", id))
}
