package fleet

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/polar-mcp/polar-mcp/internal/testkit"
)

// redisOptions returns the options of the test Redis, or skips.
func redisOptions(t testing.TB) *redis.Options { return testkit.RedisOptions(t) }

// network lets a test cut one instance off Redis: while down, dials
// fail and open connections error on every read and write.
type network struct{ down atomic.Bool }

type cutConn struct {
	net.Conn
	n *network
}

var errCut = &net.OpError{Op: "dial", Net: "tcp", Err: os.ErrDeadlineExceeded}

func (c cutConn) Read(p []byte) (int, error) {
	if c.n.down.Load() {
		return 0, errCut
	}
	return c.Conn.Read(p)
}

func (c cutConn) Write(p []byte) (int, error) {
	if c.n.down.Load() {
		return 0, errCut
	}
	return c.Conn.Write(p)
}

// client returns a client of the test Redis, as a separate instance
// would have; n may be nil.
func client(t testing.TB, n *network) *redis.Client {
	t.Helper()
	opt := redisOptions(t)
	opt.MaxRetries = -1
	opt.DialTimeout = time.Second
	if n != nil {
		var d net.Dialer
		opt.Dialer = func(ctx context.Context, network, addr string) (net.Conn, error) {
			if n.down.Load() {
				return nil, errCut
			}
			c, err := d.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return cutConn{Conn: c, n: n}, nil
		}
	}
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { _ = rdb.Close() })
	if err := rdb.Ping(context.Background()).Err(); err != nil && (n == nil || !n.down.Load()) {
		t.Fatalf("test Redis does not answer: %v", err)
	}
	return rdb
}

// prefix returns a key prefix no other test run uses.
func prefix(t testing.TB) string {
	var p [6]byte
	_, _ = rand.Read(p[:])
	return "polar-mcp-test:" + hex.EncodeToString(p[:]) + ":"
}
