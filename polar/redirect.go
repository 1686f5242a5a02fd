package polar

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// ErrRedirected is the cause of a KindRedirect *Error: Polar answered
// with a redirect to another server (another scheme, host or port), which
// polar-mcp refuses to follow so the access token never leaves the
// configured server.
var ErrRedirected = errors.New("polar answered with a redirect to another server; polar-mcp does not follow it")

// maxRedirects is net/http's own limit, kept when the client has no
// CheckRedirect of its own.
const maxRedirects = 10

// sameServerOnly returns a copy of hc that refuses any redirect leaving
// the server of the first request. net/http drops the Authorization
// header only when the host name changes, so without this the token
// would follow a redirect to another port of the same host, or from
// https to http.
func sameServerOnly(hc *http.Client) *http.Client {
	cp := *hc
	next := hc.CheckRedirect
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > 0 && !sameServer(req.URL, via[0].URL) {
			return ErrRedirected
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= maxRedirects {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return &cp
}

// sameServer reports whether a and b have the same scheme, host and port
// (an omitted port being the scheme's default).
func sameServer(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) &&
		strings.EqualFold(a.Hostname(), b.Hostname()) &&
		port(a) == port(b)
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}
