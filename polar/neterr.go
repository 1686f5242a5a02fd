package polar

import (
	"crypto/x509"
	"errors"
	"net"
	"net/url"
	"strings"
	"syscall"
)

// serverOf is the scheme and host of a request URL: where Polar was
// asked, without the path or query (which may hold a customer's email).
func serverOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// networkHint says what a network failure means and what to check.
func networkHint(err error) string {
	var dns *net.DNSError
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var timeout interface{ Timeout() bool }
	msg := err.Error()
	switch {
	case strings.Contains(msg, "proxyconnect"):
		return "the proxy could not be reached: check HTTPS_PROXY / HTTP_PROXY (and NO_PROXY)"
	case errors.As(err, &dns) && dns.IsNotFound:
		return "DNS: the host name does not resolve: check the server URL (POLAR_ENVIRONMENT / POLAR_SERVER_URL) and DNS"
	case errors.As(err, &dns):
		return "DNS lookup failed: check the machine's DNS resolver and network"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused: nothing listens at that address: check the server URL and any firewall"
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return "no route to the host: check the network connection and firewall"
	case errors.Is(err, syscall.ECONNRESET):
		return "the connection was reset: check any firewall or proxy between here and Polar"
	case errors.As(err, &unknownCA), errors.As(err, &hostname), strings.Contains(msg, "x509:"), strings.Contains(msg, "tls:"):
		return "TLS failed: check the system's CA certificates and any intercepting proxy"
	case errors.As(err, &timeout) && timeout.Timeout():
		return "timed out: check the network, firewall and HTTPS_PROXY"
	default:
		return "check the network, the server URL and HTTPS_PROXY"
	}
}
