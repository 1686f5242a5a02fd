package polar_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/polar"
)

// redirector answers every request with a 302 to target+path.
func redirector(target string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target+r.URL.RequestURI(), http.StatusFound)
	})
}

// TestRedirectToAnotherServerIsRefused: a redirect to the same host on
// another port, or from https to http, never carries the token there.
func TestRedirectToAnotherServerIsRefused(t *testing.T) {
	other := &upstream{respond: always(ok(fixture(t, "benefits_list.json")))}
	otherSrv := httptest.NewServer(other)
	t.Cleanup(otherSrv.Close)

	plain := httptest.NewServer(redirector(otherSrv.URL))
	t.Cleanup(plain.Close)
	tls := httptest.NewTLSServer(redirector(otherSrv.URL))
	t.Cleanup(tls.Close)

	for name, cfg := range map[string]polar.Config{
		"another port":  {AccessToken: testToken, ServerURL: plain.URL},
		"https to http": {AccessToken: testToken, ServerURL: tls.URL, HTTPClient: tls.Client()},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := polar.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.ListBenefits(context.Background())
			pe, ok := polar.AsError(err)
			if !ok || pe.Kind != polar.KindRedirect || pe.Status != http.StatusFound || !errors.Is(err, polar.ErrRedirected) {
				t.Fatalf("err = %v, want KindRedirect (HTTP 302) caused by ErrRedirected", err)
			}
			if !strings.Contains(polar.ErrRedirected.Error(), "does not follow it") {
				t.Errorf("cause %q does not say the redirect was not followed", polar.ErrRedirected)
			}
			if strings.Contains(errorChain(err), otherSrv.URL) {
				t.Errorf("error names the redirect target: %s", errorChain(err))
			}
		})
	}
	if hits := other.requests(); len(hits) != 0 {
		t.Errorf("the other server received %d requests (Authorization %q)", len(hits), hits[0].Header.Get("Authorization"))
	}
}

// TestRedirectOnTheSameServerIsFollowed keeps Polar's own redirects (a
// trailing slash, say) working.
func TestRedirectOnTheSameServerIsFollowed(t *testing.T) {
	c, up := newClient(t, func(n int, r *http.Request) reply {
		if n == 0 {
			return reply{status: http.StatusTemporaryRedirect, header: map[string]string{"Location": "/v1/benefits/moved?page=1"}}
		}
		return ok(fixture(t, "benefits_list.json"))
	})
	if _, err := c.ListBenefits(context.Background()); err != nil {
		t.Fatal(err)
	}
	hits := up.requests()
	if len(hits) != 2 || hits[1].Header.Get("Authorization") != "Bearer "+testToken {
		t.Errorf("the same-server redirect was not followed with the token: %d requests", len(hits))
	}
}

// TestDoerFollowingRedirectIsRefused: an HTTPDoer that followed a
// redirect to another server itself gets its answer refused.
func TestDoerFollowingRedirectIsRefused(t *testing.T) {
	doer := doerFunc(func(r *http.Request) (*http.Response, error) {
		moved := r.Clone(r.Context())
		moved.URL.Host = "evil.example:8443"
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: http.NoBody, Request: moved}, nil
	})
	c, err := polar.New(polar.Config{AccessToken: testToken, HTTPClient: doer})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListBenefits(context.Background())
	if pe, ok := polar.AsError(err); !ok || pe.Kind != polar.KindRedirect {
		t.Fatalf("err = %v, want KindRedirect", err)
	}
}
