package cache_test

import (
	"context"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
)

// benchMembers is the size of the organization the member index
// benchmarks measure (docs/BENCHMARKS.md).
const benchMembers = 10_000

// bigTeam serves the demo organization with benchMembers more members on
// its team, and returns the fake and an adapter for it paced by Polar's
// production budget (450 requests a minute after headroom).
func bigTeam(b *testing.B) (*fakepolar.Server, *polar.SDKClient) {
	b.Helper()
	fake, err := fakepolar.Demo(fakepolar.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if err := fake.AddMembers(demoTeam, "bench.example", benchMembers); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(fake)
	b.Cleanup(srv.Close)
	sdk, err := polar.New(polar.Config{AccessToken: fakepolar.DemoToken, ServerURL: srv.URL})
	if err != nil {
		b.Fatal(err)
	}
	return fake, sdk
}

func memberRequests(fake *fakepolar.Server) int {
	n := 0
	for _, r := range fake.Requests() {
		if strings.HasPrefix(r.Path, "/v1/members/") {
			n++
		}
	}
	return n
}

// BenchmarkMemberIndexBuild10k lists 10,000 members into the index: the
// requests it takes, the heap the index holds once built, and the time it
// takes paced by the cache's default page interval (interval=default) or
// only by the rate limiter (interval=none).
func BenchmarkMemberIndexBuild10k(b *testing.B) {
	for _, tc := range []struct {
		name     string
		interval time.Duration
	}{{"interval=none", -1}, {"interval=default", 0}} {
		b.Run(tc.name, func(b *testing.B) {
			fake, sdk := bigTeam(b)
			ctx := context.Background()
			var heap, reqs float64
			for b.Loop() {
				fake.ResetRequests()
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				c := cache.New(sdk, cache.Config{MemberPageInterval: tc.interval})
				found, err := c.FindMembersByEmail(ctx, "member-9999@bench.example")
				if err != nil || len(found) != 1 {
					b.Fatalf("%v %v", found, err)
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				heap = float64(after.HeapAlloc) - float64(before.HeapAlloc)
				reqs = float64(memberRequests(fake))
				if c.MemberIndexSize() < benchMembers {
					b.Fatalf("index holds %d", c.MemberIndexSize())
				}
				runtime.KeepAlive(c)
			}
			b.ReportMetric(reqs, "requests/build")
			b.ReportMetric(heap/(1<<20), "MiB-heap")
		})
	}
}

// BenchmarkMemberIndexLookup10k is a question once the index is built: a
// hit, and a miss (within MemberRefresh of the last look), neither of
// which asks Polar.
func BenchmarkMemberIndexLookup10k(b *testing.B) {
	fake, sdk := bigTeam(b)
	ctx := context.Background()
	c := cache.New(sdk, cache.Config{MemberPageInterval: -1})
	if _, err := c.FindMembersByEmail(ctx, "ken@acme.example"); err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct{ name, email string }{
		{"hit", "member-5000@bench.example"},
		{"miss", "nobody@bench.example"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			fake.ResetRequests()
			for b.Loop() {
				if _, err := c.FindMembersByEmail(ctx, tc.email); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(memberRequests(fake)), "requests")
		})
	}
}
