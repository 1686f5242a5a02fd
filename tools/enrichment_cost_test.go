package tools_test

import (
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/tools"
)

// asked counts the requests the fake received whose path starts with
// prefix.
func asked(e *env, prefix string) int {
	n := 0
	for _, r := range e.fake.Requests() {
		if strings.HasPrefix(r.Path, prefix) {
			n++
		}
	}
	return n
}

// TestEnrichmentsAskOnlyWhereNeededAndAreKept: a disputes, product-by-id
// or benefit-grants request is made only when the answer needs it, and a
// warm question (the same one again, behind the adapter's cache, as the
// commands build it) makes none of them again. The one enrichment asked
// again warm is a past-due plan's open order: orders are billing data,
// which the cache keeps only as long as billing data may be kept.
// docs/BENCHMARKS.md records the figures.
func TestEnrichmentsAskOnlyWhereNeededAndAreKept(t *testing.T) {
	cases := []struct {
		name   string
		id     *caller.Identity
		tool   string
		prefix string
		cold   int // requests to prefix on the first call
		warm   int // and on the same call again
	}{
		{"orders with a payment ask for disputes", customer("rosa@example.net"), tools.NameOrderHistory, "/v1/disputes/", 1, 0},
		{"no orders, no disputes request", customer("sam@example.net"), tools.NameOrderHistory, "/v1/disputes/", 0, 0},
		{"a plan change asks for its product", customer("uma@example.net"), tools.NameSubscriptionStatus, "/v1/products/", 1, 0},
		{"no plan change, no product request", customer("oliver@kestrel-client.example"), tools.NameSubscriptionStatus, "/v1/products/", 0, 0},
		{"past due asks for the open order", customer("rosa@example.net"), tools.NameSubscriptionStatus, "/v1/orders/", 1, 1},
		{"not past due, no orders request", customer("uma@example.net"), tools.NameSubscriptionStatus, "/v1/orders/", 0, 0},
		{"benefits ask for the grants list", customer("theo@example.net"), tools.NameBenefits, "/v1/benefit-grants/", 1, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, envOptions{fixtures: testkit.OtherFS(), cached: true})
			mustAnswer(t, e.call(t, c.id, c.tool, nil))
			if n := asked(e, c.prefix); n != c.cold {
				t.Errorf("cold: %d requests to %s, want %d", n, c.prefix, c.cold)
			}
			e.fake.ResetRequests()
			mustAnswer(t, e.call(t, c.id, c.tool, nil))
			if n := asked(e, c.prefix); n != c.warm {
				t.Errorf("warm: %d requests to %s, want %d", n, c.prefix, c.warm)
			}
		})
	}
}
