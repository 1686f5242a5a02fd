package polar

import (
	"context"
	"crypto/x509"
	"errors"
	"net"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestNetworkHintNamesEveryCause: each kind of network failure a request
// to Polar can meet gets its own cause and what to check, wrapped as
// net/http wraps them.
func TestNetworkHintNamesEveryCause(t *testing.T) {
	wrap := func(err error) error {
		return &url.Error{Op: "Get", URL: "https://api.polar.sh/v1/customers/", Err: &net.OpError{Op: "dial", Net: "tcp", Err: err}}
	}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"proxy", wrap(errors.New("proxyconnect tcp: dial tcp 127.0.0.1:3128: connect: connection refused")), "HTTPS_PROXY / HTTP_PROXY"},
		{"no such host", wrap(&net.DNSError{Err: "no such host", Name: "api.polar.sh", IsNotFound: true}), "host name does not resolve"},
		{"resolver down", wrap(&net.DNSError{Err: "server misbehaving", Name: "api.polar.sh"}), "DNS lookup failed"},
		{"refused", wrap(&os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}), "nothing listens"},
		{"network unreachable", wrap(&os.SyscallError{Syscall: "connect", Err: syscall.ENETUNREACH}), "no route to the host"},
		{"host unreachable", wrap(&os.SyscallError{Syscall: "connect", Err: syscall.EHOSTUNREACH}), "no route to the host"},
		{"reset", wrap(&os.SyscallError{Syscall: "read", Err: syscall.ECONNRESET}), "connection was reset"},
		{"unknown CA", wrap(x509.UnknownAuthorityError{}), "TLS failed"},
		{"wrong host", wrap(x509.HostnameError{Certificate: &x509.Certificate{}, Host: "api.polar.sh"}), "TLS failed"},
		{"dial timeout", wrap(os.ErrDeadlineExceeded), "timed out"},
		{"request deadline", &url.Error{Op: "Get", URL: "https://api.polar.sh/v1/customers/", Err: context.DeadlineExceeded}, "timed out"},
		{"anything else", wrap(errors.New("unexpected EOF")), "check the network, the server URL"},
	} {
		if got := networkHint(tc.err); !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q, want it to say %q", tc.name, got, tc.want)
		}
	}
}

// TestUntrustedCertificateIsNamed: a Polar URL whose certificate the
// machine does not trust (an intercepting proxy, a missing CA bundle) is
// named, with the TLS cause, and not retried into a long wait.
func TestUntrustedCertificateIsNamed(t *testing.T) {
	srv := httptest.NewTLSServer(nil)
	t.Cleanup(srv.Close)
	c, err := New(Config{AccessToken: "polar_oat_tls_test_token", ServerURL: srv.URL, RequestsPerMinute: -1, MaxRetryWait: -1})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err = c.FindCustomerByEmail(ctx, "secret.customer@example.com")
	pe, ok := AsError(err)
	if !ok || pe.Kind != KindUnavailable {
		t.Fatalf("%v, want an unavailable *Error", err)
	}
	for _, w := range []string{"reaching " + srv.URL, "TLS failed", "CA certificates"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%q lacks %q", err.Error(), w)
		}
	}
	if strings.Contains(err.Error(), "secret.customer") || strings.Contains(err.Error(), "tls_test_token") {
		t.Errorf("%q names the query or the token", err.Error())
	}
}
