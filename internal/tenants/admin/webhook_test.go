package admin_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/testkit"
)

func TestAdminAPISetsTheWebhookSecret(t *testing.T) {
	testkit.EachBackend(t, func(t *testing.T, b testkit.Backend) {
		a := newAdminAPI(t, b.NewDB(t))
		status, body := a.do(t, "POST", "/admin/connections", adminKey,
			`{"name":"Northwind","environment":"sandbox","token":"`+a.m.northwind+`"}`)
		if status != http.StatusCreated {
			t.Fatalf("create: %d %s", status, body)
		}
		id := strings.Split(strings.SplitAfter(body, `"id":"`)[1], `"`)[0]
		const secret = "polar_whs_admin0123456789abcdef"
		path := "/admin/connections/" + id + "/webhook-secret"

		if status, _ := a.do(t, "PUT", path, "", `{"webhook_secret":"`+secret+`"}`); status != http.StatusUnauthorized {
			t.Fatalf("without the admin key: %d", status)
		}
		status, body = a.do(t, "PUT", path, adminKey, `{"webhook_secret":"`+secret+`"}`)
		if status != http.StatusOK || !strings.Contains(body, `"webhook_secret_set":true`) || strings.Contains(body, secret) {
			t.Fatalf("PUT: %d %s", status, body)
		}
		got, ok, err := a.store.WebhookSecret(context.Background(), id)
		if err != nil || !ok || got.Reveal() != secret {
			t.Fatalf("stored secret: %v %v", ok, err)
		}
		for _, bad := range []string{`{}`, `{"secret":"x"}`, `not json`, `{"webhook_secret":"has space"}`} {
			status, body := a.do(t, "PUT", path, adminKey, bad)
			if status != http.StatusBadRequest || strings.Contains(body, "has space") {
				t.Errorf("PUT %s: %d %s", bad, status, body)
			}
		}
		if status, _ := a.do(t, "PUT", "/admin/connections/conn_0000000000000000/webhook-secret", adminKey, `{"webhook_secret":"x"}`); status != http.StatusNotFound {
			t.Errorf("unknown connection: %d", status)
		}
		status, body = a.do(t, "PUT", path, adminKey, `{"webhook_secret":""}`)
		if status != http.StatusOK || !strings.Contains(body, `"webhook_secret_set":false`) {
			t.Fatalf("removing: %d %s", status, body)
		}
	})
}
