package tenants_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/tenants"
	"github.com/polar-mcp/polar-mcp/internal/tenants/connections"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/polar"
)

// routed is a router over two connections, Northwind and Kestrel.
type routed struct {
	m       *merchantsPolar
	store   *connections.Store
	keys    string
	url     string
	router  *tenants.Router
	svc     *tenants.Service
	builds  atomic.Int64 // adapters built
	a, b    string       // connection ids
	secretA []byte
	secretB []byte
}

func newRouted(t *testing.T, url string, recheck time.Duration) *routed {
	t.Helper()
	r := &routed{m: newMerchantsPolar(t), url: url}
	r.store, r.keys = openStore(t, url)
	counting := func(env connections.Environment, tok string, l polar.RateLimiter) (tenants.Adapter, error) {
		r.builds.Add(1)
		return r.m.adapters(env, tok, l)
	}
	var err error
	r.router, err = tenants.NewRouter(tenants.RouterConfig{Store: r.store, NewAdapter: counting,
		NewLimiter: limiter, NewCache: testkit.Cache[connections.Connection], Recheck: recheck, Logger: discard()})
	if err != nil {
		t.Fatal(err)
	}
	r.svc = newService(t, r.store, r.m, r.router)
	ctx := context.Background()
	a, err := r.svc.Add(ctx, tenants.AddRequest{Environment: "sandbox", Token: r.m.northwind})
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.svc.Add(ctx, tenants.AddRequest{Environment: "production", Token: r.m.kestrel})
	if err != nil {
		t.Fatal(err)
	}
	r.a, r.b = a.Connection.ID, b.Connection.ID
	r.secretA, r.secretB = []byte(a.SigningSecret.Reveal()), []byte(b.SigningSecret.Reveal())
	return r
}

// call does what the hosted endpoint and a tool do for one request to
// connection id: resolve it once (secret and adapter), then list the
// products.
func (r *routed) call(ctx context.Context, id string) ([]byte, []string, polar.Client, error) {
	secret, c, err := r.router.Resolve(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	products, err := c.ListProducts(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	var names []string
	for _, p := range products {
		names = append(names, p.Name)
	}
	return secret, names, c, nil
}

func TestRouterRoutesEachConnectionToItsOrganization(t *testing.T) {
	testkit.EachBackend(t, func(t *testing.T, b testkit.Backend) {
		url := b.NewDB(t)
		ctx := context.Background()
		r := newRouted(t, url, 0)
		secretA, namesA, clientA, err := r.call(ctx, r.a)
		if err != nil {
			t.Fatal(err)
		}
		secretB, namesB, clientB, err := r.call(ctx, r.b)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(secretA, r.secretA) || !bytes.Equal(secretB, r.secretB) {
			t.Error("Secret returned another connection's signing key")
		}
		if !slices.Contains(namesA, "Pro") || slices.Contains(namesA, "Insights") ||
			!slices.Contains(namesB, "Insights") || slices.Contains(namesB, "Pro") {
			t.Errorf("crossover: A sees %v, B sees %v", namesA, namesB)
		}

		// Many more requests: the same adapter, its cache warm.
		before := r.m.requests()
		for range 20 {
			_, _, c, err := r.call(ctx, r.a)
			if err != nil || c != clientA {
				t.Fatalf("request got another adapter (%v)", err)
			}
		}
		if n := r.m.requests() - before; n != 0 {
			t.Errorf("%d upstream requests for a warm product list", n)
		}
		if _, _, c, _ := r.call(ctx, r.b); c != clientB {
			t.Error("B's adapter was rebuilt")
		}
		if n := r.builds.Load(); n != 2 {
			t.Errorf("%d adapters built for 2 connections", n)
		}

		if _, _, err := r.router.Resolve(ctx, "conn_aaaaaaaaaaaaaaaa"); !errors.Is(err, tenants.ErrUnknownConnection) {
			t.Errorf("unknown connection: %v", err)
		}
	})
}

// TestRouterDropsConnectionsChangedElsewhere changes connections through
// another handle on the database, as another process or instance would:
// the very next request sees it.
func TestRouterDropsConnectionsChangedElsewhere(t *testing.T) {
	testkit.EachBackend(t, func(t *testing.T, b testkit.Backend) {
		url := b.NewDB(t)
		ctx := context.Background()
		r := newRouted(t, url, 0)
		other := reopen(t, url, r.keys)
		if _, _, _, err := r.call(ctx, r.a); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := r.call(ctx, r.b); err != nil {
			t.Fatal(err)
		}

		if _, err := other.Disable(ctx, r.a); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := r.call(ctx, r.a); !errors.Is(err, tenants.ErrUnknownConnection) {
			t.Fatalf("disabled elsewhere, then: %v", err)
		}
		if slices.Contains(r.router.Live(), r.a) {
			t.Error("the disabled connection's adapter is still held")
		}
		if _, c, err := r.router.Resolve(ctx, r.a); !errors.Is(err, tenants.ErrUnknownConnection) || c != nil {
			t.Errorf("Resolve of a disabled connection: %v, %v", c, err)
		}
		if _, _, _, err := r.call(ctx, r.b); err != nil {
			t.Errorf("B stopped working: %v", err)
		}

		if _, err := other.Enable(ctx, r.a); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := r.call(ctx, r.a); err != nil {
			t.Errorf("enabled again: %v", err)
		}

		newSecret, err := other.RotateSecret(ctx, r.b)
		if err != nil {
			t.Fatal(err)
		}
		if s, _, err := r.router.Resolve(ctx, r.b); err != nil || string(s) != newSecret.Reveal() {
			t.Errorf("secret rotated elsewhere: still the old one (%v)", err)
		}

		if err := other.Remove(ctx, r.b); err != nil {
			t.Fatal(err)
		}
		if _, _, err := r.router.Resolve(ctx, r.b); !errors.Is(err, tenants.ErrUnknownConnection) {
			t.Errorf("removed elsewhere, then: %v", err)
		}
	})
}

// TestRouterWithRecheckFollowsThisProcessAtOnce trusts rows for an hour:
// changes made through the service (this process) still apply at once,
// a rotated secret keeps the adapter, and Sweep catches what other
// processes did.
func TestRouterWithRecheckFollowsThisProcessAtOnce(t *testing.T) {
	ctx := context.Background()
	r := newRouted(t, t.TempDir()+"/c.db", time.Hour)
	_, _, clientA, err := r.call(ctx, r.a)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := r.call(ctx, r.b); err != nil {
		t.Fatal(err)
	}

	secret, err := r.svc.RotateSecret(ctx, r.a)
	if err != nil {
		t.Fatal(err)
	}
	s, _, c, err := r.call(ctx, r.a)
	if err != nil || string(s) != secret.Reveal() {
		t.Fatalf("rotated secret not in effect: %v", err)
	}
	if c != clientA {
		t.Error("rotating the signing secret rebuilt the adapter (its cache and rate budget are lost)")
	}

	if _, err := r.svc.Disable(ctx, r.a); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := r.call(ctx, r.a); !errors.Is(err, tenants.ErrUnknownConnection) {
		t.Errorf("disabled through the service: %v", err)
	}

	if _, err := reopen(t, r.url, r.keys).Disable(ctx, r.b); err != nil {
		t.Fatal(err)
	}
	if err := r.router.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	if live := r.router.Live(); len(live) != 0 {
		t.Errorf("after the sweep, adapters held for %v", live)
	}
}

func TestRouterConcurrentConnectionsDoNotCross(t *testing.T) {
	testkit.EachBackend(t, func(t *testing.T, b testkit.Backend) {
		url := b.NewDB(t)
		r := newRouted(t, url, 0)
		ctx := context.Background()
		var wg sync.WaitGroup
		errs := make(chan error, 200)
		for i := range 100 {
			id, want, not := r.a, "Pro", "Insights"
			if i%2 == 1 {
				id, want, not = r.b, "Insights", "Pro"
			}
			wg.Go(func() {
				_, names, _, err := r.call(ctx, id)
				switch {
				case err != nil:
					errs <- err
				case !slices.Contains(names, want) || slices.Contains(names, not):
					errs <- errors.New("crossover: " + id + " saw " + names[0])
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if n := r.builds.Load(); n != 2 {
			t.Errorf("%d adapters built under concurrent first use, want 2", n)
		}
	})
}
