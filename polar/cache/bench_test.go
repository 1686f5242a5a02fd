package cache_test

import (
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
)

// benchClient is a cache.Client on the real adapter talking HTTP to the
// fake Polar API, without rate limiting (a benchmark is a flood).
func benchClient(b *testing.B, cfg cache.Config) *cache.Client {
	b.Helper()
	_, srv := testkit.DemoPolar(b)
	sdk, err := polar.New(polar.Config{AccessToken: fakepolar.DemoToken, ServerURL: srv.URL, RequestsPerMinute: -1})
	if err != nil {
		b.Fatal(err)
	}
	return cache.New(sdk, cfg)
}

// BenchmarkResolveCustomerCold resolves an email with nothing cached: one
// HTTP round trip to the fake, decoding included.
func BenchmarkResolveCustomerCold(b *testing.B) {
	c := benchClient(b, cache.Config{CustomerTTL: -1, NotFoundTTL: -1})
	for b.Loop() {
		if _, err := c.FindCustomerByEmail(b.Context(), aliceEmail); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResolveCustomerWarm resolves an email from the cache.
func BenchmarkResolveCustomerWarm(b *testing.B) {
	c := benchClient(b, cache.Config{})
	if _, err := c.FindCustomerByEmail(b.Context(), aliceEmail); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := c.FindCustomerByEmail(b.Context(), aliceEmail); err != nil {
			b.Fatal(err)
		}
	}
	if s := c.Stats(); s.Requests != 1 {
		b.Fatalf("warm resolution sent %d requests", s.Requests)
	}
}
