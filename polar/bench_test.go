package polar_test

import (
	"encoding/json"
	"io/fs"
	"net/http/httptest"
	"testing"

	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/fakepolar"
)

// benchClient is a CachedClient on the real adapter talking HTTP to the
// fake Polar API, without rate limiting (a benchmark is a flood).
func benchClient(b *testing.B, cfg polar.CacheConfig) *polar.CachedClient {
	b.Helper()
	fake, err := fakepolar.New(fakepolar.DemoFS(), fakepolar.Options{})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(fake)
	b.Cleanup(srv.Close)
	sdk, err := polar.New(polar.Config{AccessToken: fakepolar.DemoToken, ServerURL: srv.URL, RequestsPerMinute: -1})
	if err != nil {
		b.Fatal(err)
	}
	return polar.NewCached(sdk, cfg)
}

// BenchmarkResolveCustomerCold resolves an email with nothing cached: one
// HTTP round trip to the fake, decoding included.
func BenchmarkResolveCustomerCold(b *testing.B) {
	c := benchClient(b, polar.CacheConfig{CustomerTTL: -1, NotFoundTTL: -1})
	for b.Loop() {
		if _, err := c.FindCustomerByEmail(b.Context(), aliceEmail); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResolveCustomerWarm resolves an email from the cache.
func BenchmarkResolveCustomerWarm(b *testing.B) {
	c := benchClient(b, polar.CacheConfig{})
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

// BenchmarkDecodeSubscriptionsPage decodes a full page (100) of the demo
// organization's subscriptions, as the adapter decodes every list page.
func BenchmarkDecodeSubscriptionsPage(b *testing.B) {
	raw, err := fs.ReadFile(fakepolar.DemoFS(), "subscriptions.json")
	if err != nil {
		b.Fatal(err)
	}
	var subs []json.RawMessage
	if err := json.Unmarshal(raw, &subs); err != nil {
		b.Fatal(err)
	}
	items := make([]string, 100)
	for i := range items {
		items[i] = string(subs[i%len(subs)])
	}
	body := []byte(page(1, items...))
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		var p polar.Page[polar.Subscription]
		if err := json.Unmarshal(body, &p); err != nil || len(p.Items) != 100 {
			b.Fatalf("decoded %d items: %v", len(p.Items), err)
		}
	}
}
