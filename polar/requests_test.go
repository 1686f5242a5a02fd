package polar_test

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/polar"
)

// TestRequests checks the one request each method sends: method, path,
// query, body, Polar-Version and bearer authentication.
func TestRequests(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		body   string
		call   func(c polar.Client) error
		method string
		path   string
		query  url.Values
		json   string
	}{
		{
			name:   "FindCustomerByEmail",
			body:   fixture(t, "customers_list.json"),
			call:   func(c polar.Client) error { _, err := c.FindCustomerByEmail(ctx, "  Ada@Example.COM "); return err },
			method: http.MethodGet, path: "/v1/customers/",
			query: url.Values{"email": {"ada@example.com"}, "limit": {"10"}},
		},
		{
			name:   "ListSubscriptions",
			body:   fixture(t, "subscriptions_list.json"),
			call:   func(c polar.Client) error { _, err := c.ListSubscriptions(ctx, polar.ByID(customerID)); return err },
			method: http.MethodGet, path: "/v1/subscriptions/",
			query: url.Values{"customer_id": {customerID}, "limit": {"100"}, "page": {"1"}, "sorting": {"-started_at"}},
		},
		{
			name:   "ListOrders",
			body:   fixture(t, "orders_list.json"),
			call:   func(c polar.Client) error { _, err := c.ListOrders(ctx, polar.ByID(customerID), 5); return err },
			method: http.MethodGet, path: "/v1/orders/",
			query: url.Values{"customer_id": {customerID}, "limit": {"5"}, "sorting": {"-created_at"}},
		},
		{
			name:   "CustomerState",
			body:   fixture(t, "customer_state.json"),
			call:   func(c polar.Client) error { _, err := c.CustomerState(ctx, polar.ByID(customerID)); return err },
			method: http.MethodGet, path: "/v1/customers/" + customerID + "/state",
			query: url.Values{},
		},
		{
			name:   "ListProducts",
			body:   fixture(t, "products_list.json"),
			call:   func(c polar.Client) error { _, err := c.ListProducts(ctx); return err },
			method: http.MethodGet, path: "/v1/products/",
			query: url.Values{"is_archived": {"false"}, "visibility": {"public"}, "limit": {"100"}, "page": {"1"}},
		},
		{
			name:   "ListBenefits",
			body:   fixture(t, "benefits_list.json"),
			call:   func(c polar.Client) error { _, err := c.ListBenefits(ctx); return err },
			method: http.MethodGet, path: "/v1/benefits/",
			query: url.Values{"limit": {"100"}, "page": {"1"}},
		},
		{
			name:   "CreateCustomerSession",
			body:   fixture(t, "customer_session.json"),
			call:   func(c polar.Client) error { _, err := c.CreateCustomerSession(ctx, polar.ByID(customerID)); return err },
			method: http.MethodPost, path: "/v1/customer-sessions/",
			query: url.Values{},
			json:  `{"customer_id":"` + customerID + `"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status := http.StatusOK
			if tt.method == http.MethodPost {
				status = http.StatusCreated
			}
			c, up := newClient(t, always(reply{status: status, body: tt.body}))
			if err := tt.call(c); err != nil {
				t.Fatalf("call: %v", err)
			}
			hits := up.requests()
			if len(hits) != 1 {
				t.Fatalf("got %d requests, want 1", len(hits))
			}
			h := hits[0]
			if h.Method != tt.method || h.Path != tt.path {
				t.Errorf("request = %s %s, want %s %s", h.Method, h.Path, tt.method, tt.path)
			}
			// polar-go adds page=1 on its own; anything else is unexpected.
			q := h.Query
			if _, want := tt.query["page"]; !want && reflect.DeepEqual(q["page"], []string{"1"}) {
				delete(q, "page")
			}
			if !reflect.DeepEqual(q, tt.query) {
				t.Errorf("query = %v, want %v", q, tt.query)
			}
			if got := h.Header.Get("Polar-Version"); got != config.DefaultAPIVersion {
				t.Errorf("Polar-Version = %q, want %q", got, config.DefaultAPIVersion)
			}
			if got := h.Header.Get("Authorization"); got != "Bearer "+testToken {
				t.Errorf("Authorization header is not the bearer token")
			}
			if tt.json != "" && h.Body != tt.json {
				t.Errorf("body = %s, want %s", h.Body, tt.json)
			}
		})
	}
}

func TestAPIVersionIsConfigurable(t *testing.T) {
	c, up := newClient(t, always(ok(fixture(t, "benefits_list.json"))), func(cfg *polar.Config) {
		cfg.APIVersion = "2026-10"
	})
	if _, err := c.ListBenefits(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := up.requests()[0].Header.Get("Polar-Version"); got != "2026-10" {
		t.Errorf("Polar-Version = %q, want 2026-10", got)
	}
}

// doerFunc is an HTTPDoer that never touches the network.
type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

func TestNewSelectsServer(t *testing.T) {
	for env, host := range map[string]string{
		"":           "api.polar.sh",
		"production": "api.polar.sh",
		"sandbox":    "sandbox-api.polar.sh",
		" Sandbox ":  "sandbox-api.polar.sh",
	} {
		var got string
		doer := doerFunc(func(r *http.Request) (*http.Response, error) {
			got = r.URL.Scheme + "://" + r.URL.Host
			return &http.Response{
				StatusCode: http.StatusOK,
				Header:     http.Header{"Content-Type": {"application/json"}},
				Body:       http.NoBody,
				Request:    r,
			}, nil
		})
		c, err := polar.New(polar.Config{AccessToken: testToken, Environment: env, HTTPClient: doer})
		if err != nil {
			t.Fatalf("New(%q): %v", env, err)
		}
		_, _ = c.ListBenefits(context.Background())
		if got != "https://"+host {
			t.Errorf("environment %q sent to %s, want https://%s", env, got, host)
		}
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for name, cfg := range map[string]polar.Config{
		"no token":            {},
		"unknown environment": {AccessToken: testToken, Environment: "staging"},
		"server URL scheme":   {AccessToken: testToken, ServerURL: "ftp://example.com"},
		"server URL host":     {AccessToken: testToken, ServerURL: "https://"},
	} {
		c, err := polar.New(cfg)
		if err == nil || c != nil {
			t.Errorf("%s: New succeeded, want an error", name)
			continue
		}
		if strings.Contains(err.Error(), testToken) {
			t.Errorf("%s: error reveals the token", name)
		}
	}
}

func TestListProductsDropsArchivedProducts(t *testing.T) {
	body := page(1,
		`{"id":"p1","name":"Live","is_archived":false,"prices":[{"id":"old","amount_type":"fixed","is_archived":true}]}`,
		`{"id":"p2","name":"Gone","is_archived":true}`)
	c, _ := newClient(t, always(ok(body)))
	got, err := c.ListProducts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != "p1" {
		t.Fatalf("products = %+v, want only p1", got)
	}
	if len(got[0].Prices) != 1 || !got[0].Prices[0].IsArchived {
		t.Errorf("archived prices must be kept for tools to judge, got %+v", got[0].Prices)
	}
}

func TestListOrdersLimit(t *testing.T) {
	for limit, want := range map[int]string{0: "10", -3: "10", 1: "1", 100: "100", 500: "100"} {
		c, up := newClient(t, always(ok(page(1))))
		if _, err := c.ListOrders(context.Background(), polar.ByID(customerID), limit); err != nil {
			t.Fatal(err)
		}
		if got := up.requests()[0].Query.Get("limit"); got != want {
			t.Errorf("limit %d sent as %s, want %s", limit, got, want)
		}
	}
}

func TestOtherCustomersItemsAreDropped(t *testing.T) {
	body := page(1,
		`{"id":"s1","status":"active","customer_id":"`+customerID+`"}`,
		`{"id":"s2","status":"active","customer_id":"someone-else"}`)
	c, _ := newClient(t, always(ok(body)))
	subs, err := c.ListSubscriptions(context.Background(), polar.ByID(customerID))
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 1 || subs[0].ID != "s1" {
		t.Errorf("subscriptions = %+v, want only the customer's own", subs)
	}
	c, _ = newClient(t, always(ok(strings.ReplaceAll(body, `"status":"active"`, `"status":"paid"`))))
	orders, err := c.ListOrders(context.Background(), polar.ByID(customerID), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(orders) != 1 || orders[0].ID != "s1" {
		t.Errorf("orders = %+v, want only the customer's own", orders)
	}
}

func TestMalformedCustomerIDSendsNothing(t *testing.T) {
	c, up := newClient(t, always(ok(page(1))))
	ctx := context.Background()
	for _, id := range []string{"", "../../v1/organizations", "abc?x=1", "a/b", strings.Repeat("a", 65)} {
		calls := map[string]error{}
		_, calls["ListSubscriptions"] = c.ListSubscriptions(ctx, polar.ByID(id))
		_, calls["ListOrders"] = c.ListOrders(ctx, polar.ByID(id), 10)
		_, calls["CustomerState"] = c.CustomerState(ctx, polar.ByID(id))
		_, calls["CreateCustomerSession"] = c.CreateCustomerSession(ctx, polar.ByID(id))
		for name, err := range calls {
			if pe, ok := polar.AsError(err); !ok || pe.Kind != polar.KindInvalid {
				t.Errorf("%s(%q) err = %v, want KindInvalid", name, id, err)
			}
		}
	}
	if n := len(up.requests()); n != 0 {
		t.Errorf("sent %d requests for malformed ids", n)
	}
}
