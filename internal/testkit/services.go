package testkit

import (
	"os"
	"os/exec"
	"testing"

	"github.com/redis/go-redis/v9"
)

// Environment variables naming the services some tests need. `source
// .ci/redis.sh`, `.ci/postgres.sh` and `.ci/chromium.sh` start them and set
// them (EnvPostgresURL is in backend.go).
const (
	EnvRedisURL = "POLAR_MCP_TEST_REDIS_URL"
	EnvChromium = "POLAR_MCP_TEST_CHROMIUM"
)

// RedisOptions returns the options of the test Redis at
// POLAR_MCP_TEST_REDIS_URL, a fresh copy per call, or skips the test when
// it is unset. Tests share that Redis: each keeps to key prefixes or a
// database of its own.
func RedisOptions(t testing.TB) *redis.Options {
	t.Helper()
	url := os.Getenv(EnvRedisURL)
	if url == "" {
		t.Skip(EnvRedisURL + " is unset: run `source .ci/redis.sh` to start a test Redis")
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatalf("%s: %v", EnvRedisURL, err)
	}
	return opt
}

// Redis returns a client of the test Redis (RedisOptions), closed when t
// ends, once it has answered a PING.
func Redis(t testing.TB) *redis.Client {
	t.Helper()
	rdb := redis.NewClient(RedisOptions(t))
	t.Cleanup(func() { _ = rdb.Close() })
	if err := rdb.Ping(t.Context()).Err(); err != nil {
		t.Fatalf("the test Redis at %s does not answer: %v", EnvRedisURL, err)
	}
	return rdb
}

// Chromium returns the Chromium binary the browser tests drive
// (POLAR_MCP_TEST_CHROMIUM, or chromium on PATH), or skips the test.
func Chromium(t testing.TB) string {
	t.Helper()
	bin := os.Getenv(EnvChromium)
	if bin == "" {
		bin, _ = exec.LookPath("chromium")
	}
	if bin == "" {
		t.Skip("Chromium not found: run `source .ci/chromium.sh` (installs Debian's chromium and sets " + EnvChromium + ")")
	}
	return bin
}
