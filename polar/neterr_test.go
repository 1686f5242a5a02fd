package polar

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"
)

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

// A network failure names the server it happened on, its cause and what
// to check, and never the request's path or query (a customer's email).
func TestNetworkFailuresNameTheAddressAndTheCause(t *testing.T) {
	refused := closedPort(t)
	for _, tc := range []struct {
		server  string
		want    []string
		retried bool // a refused connection is retried; a name that does not resolve is not
	}{
		{refused, []string{"reaching " + refused, "connection refused", "nothing listens", "check the server URL"}, true},
		{"https://polar.invalid", []string{"reaching https://polar.invalid", "polar.invalid", "DNS", "check the server URL"}, false},
	} {
		var log bytes.Buffer
		c, err := New(Config{AccessToken: "polar_oat_neterr_test_token", ServerURL: tc.server, RequestsPerMinute: -1,
			Logger: slog.New(slog.NewTextHandler(&log, nil))})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		_, err = c.FindCustomerByEmail(ctx, "secret.customer@example.com")
		cancel()
		pe, ok := AsError(err)
		if !ok || pe.Kind != KindUnavailable {
			t.Fatalf("%s: %v, want an unavailable *Error", tc.server, err)
		}
		msg := err.Error()
		for _, w := range tc.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: %q lacks %q", tc.server, msg, w)
			}
		}
		if strings.Contains(msg, "secret.customer") || strings.Contains(msg, "/v1/") || strings.Contains(msg, "neterr_test_token") {
			t.Errorf("%s: %q names the request's path, query or token", tc.server, msg)
		}
		// The retries are logged with the same address and cause.
		retries := 0
		for _, line := range strings.Split(log.String(), "\n") {
			if !strings.Contains(line, "retrying") {
				continue
			}
			retries++
			for _, w := range tc.want {
				if !strings.Contains(line, w) {
					t.Errorf("%s: the retry log line lacks %q: %s", tc.server, w, line)
				}
			}
			if strings.Contains(line, "secret.customer") || strings.Contains(line, "neterr_test_token") {
				t.Errorf("%s: the retry log line names the query or the token: %s", tc.server, line)
			}
		}
		if tc.retried && retries == 0 {
			t.Errorf("%s: no retry logged:\n%s", tc.server, log.String())
		}
		if pe.Server != tc.server {
			t.Errorf("Server = %q, want %q", pe.Server, tc.server)
		}
	}
}
