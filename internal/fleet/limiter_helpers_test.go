package fleet_test

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/fleet"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/polar"
)

const org = "org-fleetlimit-test"

// testRedis returns a client of the test Redis, as one instance has it,
// or skips the test.
func testRedis(t *testing.T) *redis.Client { return testkit.Redis(t) }

// keyPrefix returns a Redis key prefix no other test run uses.
func keyPrefix(t *testing.T) string {
	var p [6]byte
	_, _ = rand.Read(p[:])
	return "polar-mcp-test:fleetlimit:" + hex.EncodeToString(p[:]) + ":"
}

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// instance is one polar-mcp instance's budget and limiter for org.
type instance struct {
	budget *fleet.RedisBudget
	lim    *fleet.Limiter
	log    *syncBuffer
}

// newInstance builds an instance on rdb sharing the budget under prefix.
func newInstance(t *testing.T, rdb redis.UniversalClient, prefix string, perWindow, instances int, maxWait time.Duration) instance {
	t.Helper()
	logs := &syncBuffer{}
	b, err := fleet.NewRedisBudget(rdb, fleet.RedisConfig{
		Limits: fleet.Limits{PerWindow: perWindow}, ExpectedInstances: instances, Prefix: prefix,
		RetryInterval: time.Minute, Logger: slog.New(slog.NewTextHandler(logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	return instance{budget: b, lim: fleet.NewLimiter(b, org, maxWait), log: logs}
}

// fakePolar serves the demo organization, with perMinute requests per
// minute (0: no limit), and counts what it receives; it returns the fake
// and its URL.
func fakePolar(t *testing.T, perMinute int) (*fakepolar.Server, string) {
	t.Helper()
	fake, err := fakepolar.Demo(fakepolar.Options{RateLimit: perMinute})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return fake, srv.URL
}

// polarClient is a Polar client of the fake paced by lim, without the
// client's own retry on 429.
func polarClient(t *testing.T, url string, lim polar.RateLimiter) *polar.SDKClient {
	t.Helper()
	c, err := polar.New(polar.Config{
		AccessToken: fakepolar.DemoToken, ServerURL: url,
		Limiter: lim, MaxRetryWait: -1, Timeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
