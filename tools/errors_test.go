package tools_test

import (
	"strings"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/tools"
)

func TestUpstreamErrorsBecomeToolResults(t *testing.T) {
	cases := []struct {
		name  string
		fault fakepolar.Fault
		wants []string
	}{
		{"401", fakepolar.Fault{Status: 401}, []string{"Invalid API key", "polar_", "production vs sandbox", "scopes"}},
		{"403 scope on orders", fakepolar.Fault{Path: "/v1/orders/", Status: 403, Scope: "orders:read"}, []string{"orders:read", "new token"}},
		{"429 long wait", fakepolar.Fault{Status: 429, RetryAfter: 42 * time.Second}, []string{"rate limit", "42 seconds"}},
		{"500", fakepolar.Fault{Status: 500}, []string{"Unable to retrieve data", "try again"}},
		{"503", fakepolar.Fault{Path: "/v1/orders/", Status: 503}, []string{"Unable to retrieve data"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, envOptions{})
			e.fake.InjectFault(tc.fault)
			res := e.call(t, customer("alice@example.com"), tools.NameOrderHistory, nil)
			got := mustFail(t, res, tc.wants...)
			if strings.Contains(got, testToken) {
				t.Fatal("error result leaks the token")
			}
		})
	}
}

func TestWrongTokenNeverEchoed(t *testing.T) {
	const wrong = "polar_oat_wrong_token_do_not_echo"
	e := newEnv(t, envOptions{token: wrong})
	for _, name := range append(customerTools, tools.NameProducts) {
		res := e.call(t, customer("alice@example.com"), name, nil)
		got := mustFail(t, res, "Invalid API key")
		if strings.Contains(got, wrong) || strings.Contains(jsonString(t, res), wrong) {
			t.Fatalf("%s echoes the token: %s", name, got)
		}
	}
}

func TestShortRateLimitIsRetriedWithinDeadline(t *testing.T) {
	e := newEnv(t, envOptions{retryWait: 3 * time.Second})
	e.fake.InjectFault(fakepolar.Fault{Path: "/v1/products/", Status: 429, RetryAfter: time.Second, Times: 1})
	mustAnswer(t, e.call(t, nil, tools.NameProducts, nil), "Available products")
	if n := e.fake.RequestCount(); n != 2 {
		t.Errorf("requests = %d, want the 429 and one retry", n)
	}
}
