package polar_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/buildinfo"
	"github.com/polar-mcp/polar-mcp/polar"
)

// TestUserAgentReachesPolar checks that Config.UserAgent is the User-Agent
// Polar receives on reads and writes alike, and that polar-go's own is
// left alone when it is empty.
func TestUserAgentReachesPolar(t *testing.T) {
	ctx := context.Background()
	ua := buildinfo.UserAgent()
	if !strings.HasPrefix(ua, "polar-mcp/") {
		t.Fatalf("buildinfo.UserAgent() = %q", ua)
	}
	respond := func(_ int, r *http.Request) reply {
		if r.Method == http.MethodPost {
			return reply{status: http.StatusCreated, body: fixture(t, "customer_session.json")}
		}
		return ok(fixture(t, "products_list.json"))
	}
	c, up := newClient(t, respond, func(cfg *polar.Config) { cfg.UserAgent = ua })
	if _, err := c.ListProducts(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateCustomerSession(ctx, polar.ByID(customerID)); err != nil {
		t.Fatal(err)
	}
	hits := up.requests()
	if len(hits) != 2 {
		t.Fatalf("got %d requests, want 2", len(hits))
	}
	for _, h := range hits {
		if got := h.Header.Values("User-Agent"); len(got) != 1 || got[0] != ua {
			t.Errorf("%s %s: User-Agent %q, want [%q]", h.Method, h.Path, got, ua)
		}
	}

	plain, up := newClient(t, respond)
	if _, err := plain.ListProducts(ctx); err != nil {
		t.Fatal(err)
	}
	if got := up.requests()[0].Header.Get("User-Agent"); got == "" || strings.HasPrefix(got, "polar-mcp/") {
		t.Errorf("without Config.UserAgent, User-Agent = %q, want polar-go's", got)
	}
}
