package admin_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/testkit"
)

func TestAdminAPISetsTheRateLimit(t *testing.T) {
	testkit.EachBackend(t, func(t *testing.T, b testkit.Backend) {
		a := newAdminAPI(t, b.NewDB(t))
		status, body := a.do(t, "POST", "/admin/connections", adminKey,
			`{"name":"Northwind","environment":"sandbox","token":"`+a.m.northwind+`"}`)
		if status != http.StatusCreated {
			t.Fatalf("create: %d %s", status, body)
		}
		id := strings.Split(strings.SplitAfter(body, `"id":"`)[1], `"`)[0]
		path := "/admin/connections/" + id + "/rate-limit"
		if status, _ := a.do(t, "PUT", path, "", `{"requests_per_minute":60}`); status != http.StatusUnauthorized {
			t.Fatalf("without the admin key: %d", status)
		}
		status, body = a.do(t, "PUT", path, adminKey, `{"requests_per_minute":60}`)
		if status != http.StatusOK || !strings.Contains(body, `"rate_limit":60`) {
			t.Fatalf("PUT: %d %s", status, body)
		}
		if c, err := a.store.Get(context.Background(), id); err != nil || c.RateLimit != 60 {
			t.Fatalf("stored: %+v, %v", c, err)
		}
		for _, bad := range []string{`{}`, `{"requests_per_minute":-5}`, `{"requests_per_minute":"60"}`, `{"rate":1}`} {
			if status, body := a.do(t, "PUT", path, adminKey, bad); status != http.StatusBadRequest {
				t.Errorf("PUT %s: %d %s", bad, status, body)
			}
		}
		if status, _ := a.do(t, "PUT", "/admin/connections/conn_0000000000000000/rate-limit", adminKey, `{"requests_per_minute":1}`); status != http.StatusNotFound {
			t.Errorf("unknown connection: %d", status)
		}
	})
}
