package admin_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/tenants"
	"github.com/polar-mcp/polar-mcp/internal/tenants/admin"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
)

const adminKey = "admin-key-0123456789-abcdefghijklmnop"

// adminAPI serves the admin API over a router, as polar-mcp http does.
type adminAPI struct {
	*routed
	srv *httptest.Server
}

func newAdminAPI(t *testing.T, url string) *adminAPI {
	t.Helper()
	r := newRouted(t, url)
	h, err := admin.New(r.svc, adminKey, discard())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &adminAPI{routed: r, srv: srv}
}

// do sends an admin request with key and returns the status and body.
func (a *adminAPI) do(t *testing.T, method, path, key, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, a.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("%s %s: Cache-Control %q", method, path, cc)
	}
	return resp.StatusCode, string(b)
}

func TestNewRefusesShortKeys(t *testing.T) {
	if _, err := admin.New(&tenants.Service{}, "short-key", nil); err == nil || strings.Contains(err.Error(), "short-key") {
		t.Errorf("short key: %v", err)
	}
}

func TestAdminAPIRequiresTheKey(t *testing.T) {
	a := newAdminAPI(t, t.TempDir()+"/c.db")
	for _, key := range []string{"", "wrong", adminKey + "x", adminKey[:len(adminKey)-1]} {
		status, body := a.do(t, "GET", "/admin/connections", key, "")
		if status != http.StatusUnauthorized || strings.Contains(body, a.a) {
			t.Errorf("key %q: %d %s", key, status, body)
		}
	}
	if status, _ := a.do(t, "GET", "/admin/connections", adminKey, ""); status != http.StatusOK {
		t.Errorf("right key: %d", status)
	}
}

func TestAdminAPILifecycle(t *testing.T) {
	testkit.EachBackend(t, func(t *testing.T, b testkit.Backend) {
		url := b.NewDB(t)
		a := newAdminAPI(t, url)
		var seen strings.Builder // every response body, scanned for the token at the end

		status, body := a.do(t, "POST", "/admin/connections", adminKey,
			`{"name":"Northwind via API","environment":"sandbox","token":"`+a.m.northwind+`"}`)
		seen.WriteString(body)
		var c struct {
			Connection struct {
				ID           string   `json:"id"`
				Name         string   `json:"name"`
				Scopes       []string `json:"scopes"`
				Organization struct{ Name string }
				DisabledAt   *string `json:"disabled_at"`
			} `json:"connection"`
			SigningSecret string   `json:"signing_secret"`
			Warnings      []string `json:"warnings"`
		}
		if err := json.Unmarshal([]byte(body), &c); err != nil || status != http.StatusCreated {
			t.Fatalf("create: %d %s", status, body)
		}
		id := c.Connection.ID
		if c.Connection.Name != "Northwind via API" || c.Connection.Organization.Name != "Northwind Cloud" || len(c.SigningSecret) < 32 {
			t.Errorf("created %s", body)
		}
		// The secret shown once signs tokens the router accepts.
		if s, _, err := a.router.Resolve(context.Background(), id); err != nil || string(s) != c.SigningSecret {
			t.Errorf("printed signing secret is not the connection's: %v", err)
		}

		for _, path := range []string{"/admin/connections", "/admin/connections/" + id} {
			status, body := a.do(t, "GET", path, adminKey, "")
			seen.WriteString(body)
			if status != http.StatusOK || !strings.Contains(body, id) || strings.Contains(body, c.SigningSecret) {
				t.Errorf("GET %s: %d %s", path, status, body)
			}
		}

		status, body = a.do(t, "POST", "/admin/connections/"+id+"/check", adminKey, "")
		seen.WriteString(body)
		if status != http.StatusOK || !strings.Contains(body, `"checked_at"`) {
			t.Errorf("check: %d %s", status, body)
		}

		status, body = a.do(t, "POST", "/admin/connections/"+id+"/rotate-secret", adminKey, "")
		seen.WriteString(body)
		var rot struct {
			SigningSecret string `json:"signing_secret"`
		}
		if json.Unmarshal([]byte(body), &rot) != nil || status != http.StatusOK || rot.SigningSecret == c.SigningSecret || len(rot.SigningSecret) < 32 {
			t.Errorf("rotate-secret: %d %s", status, body)
		}
		if s, _, _ := a.router.Resolve(context.Background(), id); string(s) != rot.SigningSecret {
			t.Error("the rotated secret is not in effect")
		}

		status, body = a.do(t, "POST", "/admin/connections/"+id+"/disable", adminKey, "")
		seen.WriteString(body)
		if status != http.StatusOK || !strings.Contains(body, `"disabled_at"`) {
			t.Errorf("disable: %d %s", status, body)
		}
		if _, _, err := a.router.Resolve(context.Background(), id); !errors.Is(err, tenants.ErrUnknownConnection) {
			t.Errorf("disabled connection still served: %v", err)
		}
		if status, body := a.do(t, "POST", "/admin/connections/"+id+"/check", adminKey, ""); status != http.StatusConflict {
			t.Errorf("check of a disabled connection: %d %s", status, body)
		}
		if status, _ := a.do(t, "POST", "/admin/connections/"+id+"/enable", adminKey, ""); status != http.StatusOK {
			t.Errorf("enable: %d", status)
		}

		if status, body := a.do(t, "DELETE", "/admin/connections/"+id, adminKey, ""); status != http.StatusNoContent {
			t.Errorf("delete: %d %s", status, body)
		}
		if status, _ := a.do(t, "GET", "/admin/connections/"+id, adminKey, ""); status != http.StatusNotFound {
			t.Errorf("GET after delete: %d", status)
		}
		if status, _ := a.do(t, "DELETE", "/admin/connections/"+id, adminKey, ""); status != http.StatusNotFound {
			t.Errorf("second delete: %d", status)
		}
		if strings.Contains(seen.String(), a.m.northwind) {
			t.Error("an admin response contained the Polar token")
		}
	})
}

func TestAdminAPIRefusals(t *testing.T) {
	a := newAdminAPI(t, t.TempDir()+"/c.db")
	bad := token("wrongkey")
	tests := []struct {
		name, body string
		status     int
		code       string
		contains   []string
	}{
		{"server URL", `{"name":"x","environment":"sandbox","token":"` + a.m.northwind + `","server_url":"http://169.254.169.254"}`,
			400, "invalid_request", []string{"server_url"}},
		{"custom environment", `{"name":"x","environment":"http://169.254.169.254","token":"` + a.m.northwind + `"}`,
			400, "invalid_request", []string{"production", "sandbox"}},
		{"not JSON", `name=x`, 400, "invalid_request", nil},
		{"not a Polar token", `{"name":"x","environment":"sandbox","token":"sk_live_abcdefabcdefabcdef"}`,
			400, "invalid_request", []string{"polar_"}},
		{"wrong key", `{"name":"x","environment":"sandbox","token":"` + bad + `"}`,
			422, "invalid_token", []string{"401", "sandbox", "production"}},
		{"missing scopes", `{"name":"x","environment":"sandbox","token":"` + a.m.noOrders + `"}`,
			422, "missing_scopes", []string{"orders:read", "benefits:read"}},
		// A token no header could carry is the caller's mistake, named
		// as such, and never sent to Polar.
		{"token with CR LF", `{"name":"x","environment":"sandbox","token":"` + a.m.northwind + `\r\nX-Injected: 1"}`,
			400, "invalid_request", []string{"token", "control characters"}},
		{"token with a tab", `{"name":"x","environment":"sandbox","token":"` + a.m.northwind + `\tx"}`,
			400, "invalid_request", []string{"token", "control characters"}},
		{"token with NUL", `{"name":"x","environment":"sandbox","token":"` + a.m.northwind + `\u0000"}`,
			400, "invalid_request", []string{"token", "control characters"}},
		{"token with DEL", `{"name":"x","environment":"sandbox","token":"` + a.m.northwind + `\u007f"}`,
			400, "invalid_request", []string{"token", "control characters"}},
		{"token with an inner space", `{"name":"x","environment":"sandbox","token":"polar_oat_a b"}`,
			400, "invalid_request", []string{"token", "spaces"}},
		{"trailing object", `{"name":"x","environment":"sandbox","token":"` + a.m.northwind + `"}{"name":"y"}`,
			400, "invalid_request", []string{"trailing data"}},
		{"trailing text", `{"name":"x","environment":"sandbox","token":"` + a.m.northwind + `"} and more`,
			400, "invalid_request", []string{"trailing data"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := a.do(t, "POST", "/admin/connections", adminKey, tt.body)
			var e struct {
				Error         string   `json:"error"`
				Message       string   `json:"message"`
				MissingScopes []string `json:"missing_scopes"`
			}
			if err := json.Unmarshal([]byte(body), &e); err != nil || status != tt.status || e.Error != tt.code {
				t.Fatalf("%d %s, want %d %s", status, body, tt.status, tt.code)
			}
			for _, s := range tt.contains {
				if !strings.Contains(e.Message, s) {
					t.Errorf("message %q lacks %q", e.Message, s)
				}
			}
			if tt.code == "missing_scopes" && strings.Join(e.MissingScopes, ",") != "orders:read,benefits:read" {
				t.Errorf("missing_scopes %v", e.MissingScopes)
			}
			for _, tok := range []string{bad, a.m.northwind, a.m.noOrders, "sk_live_abcdefabcdefabcdef"} {
				if strings.Contains(body, tok) {
					t.Error("the token was echoed")
				}
			}
		})
	}
	list, _ := a.store.List(context.Background())
	if len(list) != 2 {
		t.Errorf("refused creates saved something: %d connections", len(list))
	}
}

// The key is read as any bearer token is: the scheme in any case, the
// key trimmed. A refusal is JSON {error, message} with a Bearer challenge.
func TestAdminAPIKeyHeaderForms(t *testing.T) {
	a := newAdminAPI(t, t.TempDir()+"/c.db")
	for header, want := range map[string]int{
		"bearer " + adminKey:        http.StatusOK,
		"BEARER  " + adminKey + " ": http.StatusOK,
		"Basic " + adminKey:         http.StatusUnauthorized,
		adminKey:                    http.StatusUnauthorized,
		"Bearer ":                   http.StatusUnauthorized,
	} {
		req, _ := http.NewRequest("GET", a.srv.URL+"/admin/connections", nil)
		req.Header.Set("Authorization", header)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var e struct{ Error, Message string }
		err = json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if resp.StatusCode != want || err != nil {
			t.Errorf("%q: %d (%v), want %d", header, resp.StatusCode, err, want)
		}
		if want == http.StatusUnauthorized && (e.Error != "unauthorized" || e.Message == "" ||
			!strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer ") ||
			resp.Header.Get("Content-Type") != "application/json") {
			t.Errorf("%q: refusal %+v, headers %v", header, e, resp.Header)
		}
	}
}

// PUT bodies are one JSON object too: trailing data is refused and
// nothing changes.
func TestAdminAPIRefusesTrailingDataInPUTs(t *testing.T) {
	a := newAdminAPI(t, t.TempDir()+"/c.db")
	for _, c := range []struct{ path, body string }{
		{"/admin/connections/" + a.a + "/rate-limit", `{"requests_per_minute":10}{"requests_per_minute":99}`},
		{"/admin/connections/" + a.a + "/rate-limit", `{"requests_per_minute":10} 7`},
		{"/admin/connections/" + a.a + "/webhook-secret", `{"webhook_secret":"polar_whs_abcdef"}[]`},
	} {
		status, body := a.do(t, "PUT", c.path, adminKey, c.body)
		if status != http.StatusBadRequest || !strings.Contains(body, "trailing data") {
			t.Errorf("PUT %s %s: %d %s, want 400 naming the trailing data", c.path, c.body, status, body)
		}
	}
	got, err := a.store.Get(context.Background(), a.a)
	if err != nil {
		t.Fatal(err)
	}
	if got.RateLimit != 0 || got.WebhookSecretSet {
		t.Errorf("a refused PUT changed the connection: %+v", got)
	}
}
