package testkit

import (
	"hash/fnv"
	"net/url"
	"os"
	"os/exec"
	"strconv"
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

// RedisDatabase is a database of the test Redis of this test's own (1 to
// 8, by the test's name; tests of the fleet's parts use database 0 with
// key prefixes of their own), emptied first, as a URL for a server's
// POLAR_MCP_REDIS_URL: servers under test use the default keys and the
// demo organization's fixed id, so leftovers of another run must not
// count in their budgets.
func RedisDatabase(t testing.TB) string {
	t.Helper()
	opt := RedisOptions(t)
	h := fnv.New32a()
	h.Write([]byte(t.Name()))
	opt.DB = 1 + int(h.Sum32()%8)
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	if err := rdb.FlushDB(t.Context()).Err(); err != nil {
		t.Fatalf("empty Redis database %d: %v", opt.DB, err)
	}
	u, err := url.Parse(os.Getenv(EnvRedisURL))
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + strconv.Itoa(opt.DB)
	return u.String()
}

// RedisAt returns a client of the Redis at redisURL (RedisDatabase's),
// closed when t ends.
func RedisAt(t testing.TB, redisURL string) *redis.Client {
	t.Helper()
	opt, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { _ = rdb.Close() })
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
