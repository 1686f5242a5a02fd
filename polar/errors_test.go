package polar_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/polar"
)

// Polar's real error bodies.
const (
	bodyInvalidToken = `{"error":"invalid_token","error_description":"The access token provided is expired, revoked, malformed, or invalid for other reasons."}`
	bodyNoScope      = `{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token."}`
	bodyNotFound     = `{"error":"ResourceNotFound","detail":"Not found"}`
	bodyValidation   = `{"detail":[{"loc":["query","customer_id"],"msg":"Input should be a valid UUID","type":"uuid_parsing"}]}`
)

func TestErrorMapping(t *testing.T) {
	ctx := context.Background()
	listOrders := func(c polar.Client) error { _, err := c.ListOrders(ctx, polar.ByID(customerID), 10); return err }
	createSession := func(c polar.Client) error { _, err := c.CreateCustomerSession(ctx, polar.ByID(customerID)); return err }
	findCustomer := func(c polar.Client) error { _, err := c.FindCustomerByEmail(ctx, "ada@example.com"); return err }
	tests := []struct {
		name   string
		reply  reply
		call   func(polar.Client) error
		kind   polar.ErrorKind
		status int
		detail string
		scope  string
		retry  time.Duration
	}{
		{"401", reply{status: 401, body: bodyInvalidToken}, listOrders,
			polar.KindUnauthorized, 401, "The access token provided is expired, revoked, malformed, or invalid for other reasons.", "", 0},
		{"403 insufficient scope (session)", reply{status: 403, body: bodyNoScope,
			header: map[string]string{"WWW-Authenticate": `Bearer error="insufficient_scope"`}}, createSession,
			polar.KindInsufficientScope, 403, "The request requires higher privileges than provided by the access token.", "customer_sessions:write", 0},
		{"403 insufficient scope (orders)", reply{status: 403, body: bodyNoScope}, listOrders,
			polar.KindInsufficientScope, 403, "The request requires higher privileges than provided by the access token.", "orders:read", 0},
		{"403 insufficient scope header only", reply{status: 403, body: `{}`,
			header: map[string]string{"WWW-Authenticate": `Bearer error="insufficient_scope"`}}, findCustomer,
			polar.KindInsufficientScope, 403, "", "customers:read", 0},
		{"403 other", reply{status: 403, body: `{"error":"NotPermitted","detail":"Not permitted"}`}, createSession,
			polar.KindForbidden, 403, "Not permitted", "", 0},
		{"404", reply{status: 404, body: bodyNotFound}, func(c polar.Client) error { _, err := c.CustomerState(ctx, polar.ByID(customerID)); return err },
			polar.KindNotFound, 404, "Not found", "", 0},
		{"422", reply{status: 422, body: bodyValidation}, listOrders,
			polar.KindInvalid, 422, "Input should be a valid UUID", "", 0},
		{"429 beyond MaxRetryWait", reply{status: 429, body: `{"detail":"Rate limit exceeded"}`,
			header: map[string]string{"Retry-After": "120"}}, listOrders,
			polar.KindRateLimited, 429, "Rate limit exceeded", "", 120 * time.Second},
		{"429 with HTTP-date beyond MaxRetryWait", reply{status: 429, body: `{}`,
			header: map[string]string{"Retry-After": time.Now().Add(2 * time.Hour).UTC().Format(http.TimeFormat)}}, listOrders,
			polar.KindRateLimited, 429, "", "", 0},
		{"500", reply{status: 500, body: `{"detail":"Internal Server Error"}`}, listOrders,
			polar.KindUnavailable, 500, "Internal Server Error", "", 0},
		{"502 from a proxy, not JSON", reply{status: 502, body: "<html><body>Bad gateway</body></html>"}, listOrders,
			polar.KindUnavailable, 502, "", "", 0},
		{"2xx not JSON", reply{status: 200, body: "<html>maintenance</html>"}, listOrders,
			polar.KindDecode, 200, "", "", 0},
		{"2xx not JSON, session", reply{status: 201, body: "OK"}, createSession,
			polar.KindDecode, 201, "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, up := newClient(t, always(tt.reply), func(cfg *polar.Config) { cfg.MaxRetryWait = time.Second })
			err := tt.call(c)
			pe, ok := polar.AsError(err)
			if !ok {
				t.Fatalf("err = %v (%T), want *polar.Error", err, err)
			}
			if pe.Kind != tt.kind || pe.Status != tt.status || pe.Detail != tt.detail || pe.Scope != tt.scope {
				t.Errorf("got kind=%v status=%d detail=%q scope=%q\nwant kind=%v status=%d detail=%q scope=%q",
					pe.Kind, pe.Status, pe.Detail, pe.Scope, tt.kind, tt.status, tt.detail, tt.scope)
			}
			if tt.retry != 0 && pe.RetryAfter != tt.retry {
				t.Errorf("RetryAfter = %v, want %v", pe.RetryAfter, tt.retry)
			}
			if tt.kind == polar.KindRateLimited && pe.RetryAfter <= time.Second {
				t.Errorf("RetryAfter = %v, want the header's value", pe.RetryAfter)
			}
			want := 1
			if tt.status == http.StatusBadGateway {
				want = 3 // a GET that failed at the edge is retried twice
			}
			if n := len(up.requests()); n != want {
				t.Errorf("sent %d requests, want %d", n, want)
			}
		})
	}
}

func TestRateLimitRetry(t *testing.T) {
	ctx := context.Background()
	limited := reply{status: 429, body: `{"detail":"Rate limit exceeded"}`, header: map[string]string{"Retry-After": "0"}}

	t.Run("waits and retries once", func(t *testing.T) {
		c, up := newClient(t, func(n int, _ *http.Request) reply {
			if n == 0 {
				return limited
			}
			return ok(fixture(t, "benefits_list.json"))
		})
		benefits, err := c.ListBenefits(ctx)
		if err != nil || len(benefits) != 3 {
			t.Fatalf("got %d benefits, err %v", len(benefits), err)
		}
		if n := len(up.requests()); n != 2 {
			t.Errorf("sent %d requests, want 2", n)
		}
	})

	t.Run("only once", func(t *testing.T) {
		c, up := newClient(t, always(limited))
		_, err := c.ListBenefits(ctx)
		if pe, ok := polar.AsError(err); !ok || pe.Kind != polar.KindRateLimited {
			t.Fatalf("err = %v, want KindRateLimited", err)
		}
		if n := len(up.requests()); n != 2 {
			t.Errorf("sent %d requests, want 2", n)
		}
	})

	t.Run("not past the caller's deadline", func(t *testing.T) {
		slow := reply{status: 429, body: `{}`, header: map[string]string{"Retry-After": "30"}}
		c, up := newClient(t, always(slow), func(cfg *polar.Config) { cfg.MaxRetryWait = time.Minute })
		dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_, err := c.ListBenefits(dctx)
		pe, ok := polar.AsError(err)
		if !ok || pe.Kind != polar.KindRateLimited || pe.RetryAfter != 30*time.Second {
			t.Fatalf("err = %v, want KindRateLimited after 30s", err)
		}
		if dctx.Err() != nil {
			t.Errorf("waited on a Retry-After that could not fit the deadline")
		}
		if n := len(up.requests()); n != 1 {
			t.Errorf("sent %d requests, want 1", n)
		}
	})

	t.Run("not without Retry-After", func(t *testing.T) {
		c, up := newClient(t, always(reply{status: 429, body: `{}`}))
		_, err := c.ListBenefits(ctx)
		if pe, ok := polar.AsError(err); !ok || pe.Kind != polar.KindRateLimited {
			t.Fatalf("err = %v, want KindRateLimited", err)
		}
		if n := len(up.requests()); n != 1 {
			t.Errorf("sent %d requests, want 1", n)
		}
	})

	t.Run("disabled", func(t *testing.T) {
		c, up := newClient(t, always(limited), func(cfg *polar.Config) { cfg.MaxRetryWait = -1 })
		_, err := c.ListBenefits(ctx)
		if pe, ok := polar.AsError(err); !ok || pe.Kind != polar.KindRateLimited {
			t.Fatalf("err = %v, want KindRateLimited", err)
		}
		if n := len(up.requests()); n != 1 {
			t.Errorf("sent %d requests, want 1", n)
		}
	})
}

func TestNetworkFailures(t *testing.T) {
	ctx := context.Background()

	t.Run("connection refused", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		c, err := polar.New(polar.Config{AccessToken: testToken, ServerURL: "http://" + addr})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.FindCustomerByEmail(ctx, "ada@example.com")
		pe, ok := polar.AsError(err)
		if !ok || pe.Kind != polar.KindUnavailable || pe.Status != 0 {
			t.Fatalf("err = %v, want KindUnavailable without status", err)
		}
		if chain := errorChain(err); strings.Contains(chain, "ada@example.com") || strings.Contains(chain, "ada%40example.com") {
			t.Errorf("network error reveals the customer's email: %s", chain)
		}
	})

	t.Run("request timeout", func(t *testing.T) {
		c, _ := newClient(t, func(_ int, r *http.Request) reply {
			<-r.Context().Done()
			return ok("{}")
		}, func(cfg *polar.Config) { cfg.Timeout = 50 * time.Millisecond })
		_, err := c.ListBenefits(ctx)
		if pe, ok := polar.AsError(err); !ok || pe.Kind != polar.KindUnavailable {
			t.Fatalf("err = %v, want KindUnavailable", err)
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want it to match context.DeadlineExceeded", err)
		}
	})

	t.Run("caller cancels", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		c, _ := newClient(t, func(_ int, r *http.Request) reply {
			cancel()
			<-r.Context().Done()
			return ok("{}")
		})
		_, err := c.ListBenefits(cctx)
		if pe, ok := polar.AsError(err); !ok || pe.Kind != polar.KindUnavailable {
			t.Fatalf("err = %v, want KindUnavailable", err)
		}
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want it to match context.Canceled", err)
		}
	})

	t.Run("transport error quoting the token", func(t *testing.T) {
		doer := doerFunc(func(r *http.Request) (*http.Response, error) {
			return nil, fmt.Errorf("proxy refused %s", r.Header.Get("Authorization"))
		})
		c, err := polar.New(polar.Config{AccessToken: testToken, HTTPClient: doer})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.ListBenefits(ctx)
		if pe, ok := polar.AsError(err); !ok || pe.Kind != polar.KindUnavailable {
			t.Fatalf("err = %v, want KindUnavailable", err)
		}
		if strings.Contains(errorChain(err), testToken) {
			t.Errorf("error chain reveals the token: %s", errorChain(err))
		}
	})
}

// TestErrorsNeverContainToken answers every request with an error body
// that quotes the request's Authorization header, as a careless proxy
// might, and checks the token never reaches an error.
func TestErrorsNeverContainToken(t *testing.T) {
	ctx := context.Background()
	secret := "polar_oat_SomeOtherTokenAlsoNeverShown987654321"
	for _, status := range []int{200, 201, 400, 401, 403, 404, 422, 429, 500, 503} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			c, _ := newClient(t, func(_ int, r *http.Request) reply {
				quoted := r.Header.Get("Authorization") + " " + secret
				body := fmt.Sprintf(`{"error":"insufficient_scope","error_description":%q,"detail":%q}`, quoted, quoted)
				if status < 300 {
					body = "not json: " + quoted
				}
				return reply{status: status, body: body, header: map[string]string{"Retry-After": "600"}}
			})
			calls := []func() error{
				func() error { _, err := c.FindCustomerByEmail(ctx, "ada@example.com"); return err },
				func() error { _, err := c.ListSubscriptions(ctx, polar.ByID(customerID)); return err },
				func() error { _, err := c.CustomerState(ctx, polar.ByID(customerID)); return err },
				func() error { _, err := c.CreateCustomerSession(ctx, polar.ByID(customerID)); return err },
			}
			for i, call := range calls {
				err := call()
				if err == nil {
					t.Fatalf("call %d succeeded", i)
				}
				chain := errorChain(err)
				if strings.Contains(chain, testToken) || strings.Contains(chain, secret) {
					t.Errorf("call %d: error reveals a token: %s", i, chain)
				}
			}
		})
	}
}

// errorChain renders err, its details and everything it wraps.
func errorChain(err error) string {
	var b strings.Builder
	for e := err; e != nil; e = errors.Unwrap(e) {
		fmt.Fprintf(&b, "%v | %+v | %#v\n", e, e, e)
	}
	return b.String()
}
