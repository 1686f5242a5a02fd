package cache_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
)

// stubClient answers every email with a customer of its own, and every
// product list with products, in process; it counts its calls.
type stubClient struct {
	polar.Client // other methods are not called
	calls        atomic.Int64
	products     int // products per list
}

func (s *stubClient) FindCustomerByEmail(_ context.Context, email string) (*polar.Customer, error) {
	s.calls.Add(1)
	return &polar.Customer{ID: "id-" + email, Email: email, Name: "Customer " + email, Type: "individual"}, nil
}

func (s *stubClient) ListProducts(context.Context) ([]polar.Product, error) {
	s.calls.Add(1)
	out := make([]polar.Product, s.products)
	for i := range out {
		out[i] = polar.Product{ID: fmt.Sprint(i), Name: strings.Repeat("p", 100)}
	}
	return out, nil
}

func TestCacheMemoryStaysWithinBudget(t *testing.T) {
	const budget = 256 << 10
	stub := &stubClient{}
	c := cache.New(stub, cache.Config{MaxBytes: budget})
	const customers = 100_000
	email := func(i int) string { return fmt.Sprintf("customer-%06d@example.com", i) }
	for i := range customers {
		if _, err := c.FindCustomerByEmail(t.Context(), email(i)); err != nil {
			t.Fatal(err)
		}
	}
	s := c.Stats()
	if s.CacheBytes > budget || s.CacheEntries == 0 || s.CacheEntries >= customers/10 {
		t.Fatalf("after %d customers: %d entries, %d bytes (budget %d)", customers, s.CacheEntries, s.CacheBytes, budget)
	}

	calls := stub.calls.Load()
	if _, err := c.FindCustomerByEmail(t.Context(), email(customers-1)); err != nil {
		t.Fatal(err)
	}
	if stub.calls.Load() != calls {
		t.Error("the most recent customer was evicted")
	}
	if _, err := c.FindCustomerByEmail(t.Context(), email(0)); err != nil {
		t.Fatal(err)
	}
	if stub.calls.Load() != calls+1 {
		t.Error("the least recent customer is still cached past the budget")
	}
}

func TestCacheSkipsAnswersLargerThanBudget(t *testing.T) {
	stub := &stubClient{products: 1000}
	c := cache.New(stub, cache.Config{MaxBytes: 64 << 10})
	for range 2 {
		p, err := c.ListProducts(t.Context())
		if err != nil || len(p) != 1000 {
			t.Fatalf("got %d products, %v", len(p), err)
		}
	}
	if n := stub.calls.Load(); n != 2 {
		t.Errorf("%d calls: a catalog larger than the budget must not be kept", n)
	}
	if s := c.Stats(); s.CacheBytes > 64<<10 {
		t.Errorf("cache holds %d bytes over a %d budget", s.CacheBytes, 64<<10)
	}
}

func TestCacheDisabled(t *testing.T) {
	stub := &stubClient{products: 1}
	c := cache.New(stub, cache.Config{MaxBytes: -1})
	for range 3 {
		if _, err := c.ListProducts(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if n := stub.calls.Load(); n != 3 {
		t.Errorf("%d calls with caching disabled, want 3", n)
	}
}
