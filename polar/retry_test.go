package polar_test

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/fleet"
	"github.com/polar-mcp/polar-mcp/polar"
)

// TestEdgeFailuresAreRetried: a GET answered 502/503/504 is sent again,
// at most twice; a POST never is.
func TestEdgeFailuresAreRetried(t *testing.T) {
	ctx := context.Background()

	for _, status := range []int{http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout} {
		t.Run(http.StatusText(status)+" then success", func(t *testing.T) {
			c, fake := newDemo(t, fakepolar.Options{}, fakepolar.DemoToken)
			fake.InjectFault(fakepolar.Fault{Path: "/v1/benefits/", Status: status, Times: 2})
			if benefits, err := c.ListBenefits(ctx); err != nil || len(benefits) == 0 {
				t.Fatalf("got %d benefits, err %v; want them after two retries", len(benefits), err)
			}
			if n := fake.RequestCount(); n != 3 {
				t.Errorf("%d requests, want 3", n)
			}
			if s := c.Stats(); s.Requests != 3 || s.Retries != 2 {
				t.Errorf("Stats %+v, want 3 requests of which 2 retries", s)
			}
		})
	}

	t.Run("at most twice", func(t *testing.T) {
		c, fake := newDemo(t, fakepolar.Options{}, fakepolar.DemoToken)
		fake.InjectFault(fakepolar.Fault{Path: "/v1/benefits/", Status: http.StatusServiceUnavailable})
		_, err := c.ListBenefits(ctx)
		if pe, ok := polar.AsError(err); !ok || pe.Kind != polar.KindUnavailable || pe.Status != http.StatusServiceUnavailable {
			t.Fatalf("err = %v, want KindUnavailable (HTTP 503)", err)
		}
		if n := fake.RequestCount(); n != 3 {
			t.Errorf("%d requests, want 3", n)
		}
	})

	t.Run("never a POST", func(t *testing.T) {
		c, fake := newDemo(t, fakepolar.Options{}, fakepolar.DemoToken)
		fake.InjectFault(fakepolar.Fault{Method: http.MethodPost, Status: http.StatusServiceUnavailable, Times: 1})
		_, err := c.CreateCustomerSession(ctx, polar.ByID(demoCarol))
		if pe, ok := polar.AsError(err); !ok || pe.Status != http.StatusServiceUnavailable {
			t.Fatalf("err = %v, want the 503", err)
		}
		if n := fake.RequestCount(); n != 1 {
			t.Errorf("the session was requested %d times, want once", n)
		}
	})

	t.Run("not a 500", func(t *testing.T) {
		c, fake := newDemo(t, fakepolar.Options{}, fakepolar.DemoToken)
		fake.InjectFault(fakepolar.Fault{Status: http.StatusInternalServerError, Times: 1})
		if _, err := c.ListBenefits(ctx); err == nil {
			t.Fatal("the 500 succeeded")
		}
		if n := fake.RequestCount(); n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
	})

	t.Run("not past the deadline", func(t *testing.T) {
		c, fake := newDemo(t, fakepolar.Options{}, fakepolar.DemoToken)
		fake.InjectFault(fakepolar.Fault{Status: http.StatusServiceUnavailable, Times: 1})
		dctx, cancel := context.WithTimeout(ctx, 40*time.Millisecond) // below the first backoff
		defer cancel()
		if _, err := c.ListBenefits(dctx); err == nil {
			t.Fatal("the 503 succeeded")
		}
		if n := fake.RequestCount(); n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
	})

	t.Run("each attempt takes a limiter slot", func(t *testing.T) {
		api := startDemo(t)
		// Two slots a minute, over the limiter the server runs (package
		// fleet), on a frozen clock.
		budget := fleet.NewLocalBudget(fleet.Limits{PerWindow: 2}, newClock().Now)
		c := api.adapter(t, func(c *polar.Config) { c.Limiter = fleet.NewLimiter(budget, "org", -1) })
		api.fake.InjectFault(fakepolar.Fault{Status: http.StatusServiceUnavailable})
		_, err := c.ListBenefits(ctx)
		if pe, ok := polar.AsError(err); !ok || pe.Kind != polar.KindRateLimited {
			t.Fatalf("err = %v, want the Limiter to refuse the second retry", err)
		}
		if n := api.fake.RequestCount(); n != 2 {
			t.Errorf("%d requests with 2 slots, want 2", n)
		}
	})
}

// TestConnectionRefusedIsRetried: nothing listens, so every attempt is
// refused; the GET is tried three times in all and then fails.
func TestConnectionRefusedIsRetried(t *testing.T) {
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
	_, err = c.ListBenefits(context.Background())
	if pe, ok := polar.AsError(err); !ok || pe.Kind != polar.KindUnavailable || pe.Status != 0 {
		t.Fatalf("err = %v, want KindUnavailable without status", err)
	}
	if s := c.Stats(); s.Requests != 3 || s.Retries != 2 {
		t.Errorf("Stats %+v, want 3 attempts of which 2 retries", s)
	}
}

// TestConnectionClosedBeforeAnswerIsRetried: a server that hangs up
// before answering, once.
func TestConnectionClosedBeforeAnswerIsRetried(t *testing.T) {
	c, up := newClient(t, func(n int, r *http.Request) reply {
		if n == 0 {
			panic(http.ErrAbortHandler) // closes the connection without a response
		}
		return ok(fixture(t, "benefits_list.json"))
	})
	if _, err := c.ListBenefits(context.Background()); err != nil {
		t.Fatalf("after a hang-up: %v", err)
	}
	if n := len(up.requests()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}
