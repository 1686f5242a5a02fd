package tenants_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/tenants"
	"github.com/polar-mcp/polar-mcp/internal/tenants/connections"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
)

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// logBuffer is a logger whose output tests scan for secrets.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func TestAddConnectsAfterProbingPolar(t *testing.T) {
	testkit.EachBackend(t, func(t *testing.T, b testkit.Backend) {
		url := b.NewDB(t)
		ctx := context.Background()
		m := newMerchantsPolar(t)
		store, _ := openStore(t, url)
		var logs logBuffer
		svc, err := tenants.NewService(tenants.ServiceConfig{Store: store, NewAdapter: m.adapters, NewLimiter: limiter, Logger: logs.logger()})
		if err != nil {
			t.Fatal(err)
		}

		added, err := svc.Add(ctx, tenants.AddRequest{Environment: "sandbox", Token: "  " + m.northwind + "\n"})
		if err != nil {
			t.Fatal(err)
		}
		c := added.Connection
		if c.Name != "Northwind Cloud" || c.Organization.ID != m.demo.OrganizationID() || c.Environment != connections.Sandbox {
			t.Errorf("connection %+v", c)
		}
		for _, s := range tenants.RequiredScopes() {
			if !slices.Contains(c.Scopes, s) {
				t.Errorf("scope %s not recorded: %v", s, c.Scopes)
			}
		}
		if len(added.SigningSecret.Reveal()) < 32 || len(added.Warnings) != 0 {
			t.Errorf("secret of %d bytes, warnings %v", len(added.SigningSecret.Reveal()), added.Warnings)
		}
		creds, err := store.Credentials(ctx, c.ID)
		if err != nil || creds.Token.Reveal() != m.northwind {
			t.Errorf("stored token is not the trimmed token: %v", err)
		}

		// Another organization, under a name of the merchant's choosing.
		k, err := svc.Add(ctx, tenants.AddRequest{Name: "Kestrel (prod)", Environment: "production", Token: m.kestrel})
		if err != nil || k.Connection.Organization.Name != "Kestrel Analytics Ltd" || k.Connection.Name != "Kestrel (prod)" {
			t.Fatalf("kestrel: %+v, %v", k.Connection, err)
		}
		if strings.Contains(logs.String(), m.northwind) || strings.Contains(logs.String(), m.kestrel) {
			t.Error("a token was logged")
		}
	})
}

func TestAddRefusals(t *testing.T) {
	ctx := context.Background()
	m := newMerchantsPolar(t)
	store, _ := openStore(t, t.TempDir()+"/c.db")
	svc := newService(t, store, m, nil)
	tests := []struct {
		name     string
		req      tenants.AddRequest
		want     error
		wantText []string
		polar    bool // whether Polar may be asked
	}{
		{"not a Polar token", tenants.AddRequest{Environment: "sandbox", Token: "sk_live_0123456789abcdef"},
			connections.ErrInvalid, []string{"must start with polar_"}, false},
		{"no token", tenants.AddRequest{Environment: "sandbox"}, connections.ErrInvalid, []string{"required"}, false},
		{"unknown environment", tenants.AddRequest{Environment: "staging", Token: m.northwind},
			connections.ErrInvalid, []string{"production", "sandbox"}, false},
		{"wrong key", tenants.AddRequest{Environment: "production", Token: token("revoked")},
			tenants.ErrUnauthorized, []string{"401", "production", "Test Mode", "sandbox"}, true},
		{"missing read scopes", tenants.AddRequest{Environment: "sandbox", Token: m.noOrders},
			nil, []string{"orders:read", "benefits:read", "new token"}, true},
		{"no name and no organizations:read", tenants.AddRequest{Environment: "sandbox", Token: m.noOrgRead},
			connections.ErrInvalid, []string{"name is required"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := m.requests()
			_, err := svc.Add(ctx, tt.req)
			if err == nil {
				t.Fatal("added")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
			for _, s := range tt.wantText {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("message %q lacks %q", err, s)
				}
			}
			if strings.Contains(err.Error(), tt.req.Token) && tt.req.Token != "" {
				t.Error("the token was echoed")
			}
			if asked := m.requests() > before; asked != tt.polar {
				t.Errorf("Polar asked: %v, want %v", asked, tt.polar)
			}
		})
	}
	var missing *tenants.MissingScopesError
	_, err := svc.Add(ctx, tenants.AddRequest{Environment: "sandbox", Token: m.noOrders})
	if !errors.As(err, &missing) || !slices.Equal(missing.Scopes, []string{"orders:read", "benefits:read"}) {
		t.Errorf("missing scopes: %v", err)
	}
	if list, _ := store.List(ctx); len(list) != 0 {
		t.Errorf("refused tokens were saved: %+v", list)
	}
}

func TestAddWithoutPortalScopeWarns(t *testing.T) {
	m := newMerchantsPolar(t)
	store, _ := openStore(t, t.TempDir()+"/c.db")
	added, err := newService(t, store, m, nil).Add(context.Background(),
		tenants.AddRequest{Environment: "sandbox", Token: m.noPortal})
	if err != nil {
		t.Fatal(err)
	}
	if len(added.Warnings) != 1 || !strings.Contains(added.Warnings[0], "customer_sessions:write") {
		t.Errorf("warnings %v", added.Warnings)
	}
	if slices.Contains(added.Connection.Scopes, "customer_sessions:write") {
		t.Errorf("scopes %v", added.Connection.Scopes)
	}
	// The probe created no customer session.
	for _, r := range m.demo.Requests() {
		if r.Method != "GET" && r.Path != "/v1/customer-sessions/" {
			t.Errorf("probe sent %s %s", r.Method, r.Path)
		}
	}
}

func TestCheckRecordsWhatWorksNow(t *testing.T) {
	testkit.EachBackend(t, func(t *testing.T, b testkit.Backend) {
		url := b.NewDB(t)
		ctx := context.Background()
		m := newMerchantsPolar(t)
		store, _ := openStore(t, url)
		svc := newService(t, store, m, nil)
		added, err := svc.Add(ctx, tenants.AddRequest{Name: "Northwind", Environment: "sandbox", Token: m.northwind})
		if err != nil {
			t.Fatal(err)
		}
		id := added.Connection.ID

		// The merchant's token loses orders:read.
		m.demo.InjectFault(fakepolar.Fault{Path: "/v1/orders/", Status: 403, Scope: "orders:read"})
		res, err := svc.Check(ctx, id)
		var missing *tenants.MissingScopesError
		if !errors.As(err, &missing) || !slices.Equal(missing.Scopes, []string{"orders:read"}) {
			t.Fatalf("check: %v", err)
		}
		if slices.Contains(res.Connection.Scopes, "orders:read") || res.Connection.CheckedAt == nil {
			t.Errorf("recorded %+v", res.Connection)
		}
		m.demo.ClearFaults()
		res, err = svc.Check(ctx, id)
		if err != nil || !slices.Contains(res.Connection.Scopes, "orders:read") {
			t.Errorf("after the fix: %v %v", res.Connection.Scopes, err)
		}

		// Revoked: nothing is recorded, the guidance is returned.
		m.demo.InjectFault(fakepolar.Fault{Status: 401})
		if _, err := svc.Check(ctx, id); !errors.Is(err, tenants.ErrUnauthorized) {
			t.Errorf("revoked token: %v", err)
		}
		m.demo.ClearFaults()
		got, _ := store.Get(ctx, id)
		if !slices.Contains(got.Scopes, "orders:read") {
			t.Errorf("a 401 changed the record: %v", got.Scopes)
		}

		if _, err := svc.Disable(ctx, id); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Check(ctx, id); !errors.Is(err, connections.ErrDisabled) {
			t.Errorf("check of a disabled connection: %v", err)
		}
	})
}
