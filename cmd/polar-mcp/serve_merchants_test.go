package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/internal/polarmcp"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/tools"
)

// merchantServer is polar-mcp http serving the demo organization at the
// root and the store's connections under /c/, with the admin API.
type merchantServer struct {
	base, adminKey, rootSecret string
	logs                       *syncBuffer
}

func startMerchantServer(t *testing.T, db backend, polarURL, masterKey string) *merchantServer {
	t.Helper()
	s := &merchantServer{adminKey: randomKey(), rootSecret: randomKey(), logs: &syncBuffer{}}
	// concurrentCustomers makes over 40 calls as one customer at once:
	// a burst above the default call limit, which hosted tests cover.
	cfg := config.Config{Demo: true, TokenSecret: s.rootSecret, Listen: "127.0.0.1:0", ServerURL: polarURL,
		DatabaseURL: db.url, MasterKey: masterKey, AdminKey: s.adminKey, CallBurst: 200}
	if err := cfg.ValidateServer(); err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	ready, done := make(chan string, 1), make(chan error, 1)
	logger := slog.New(slog.NewJSONHandler(s.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	go func() { done <- polarmcp.ServeHTTP(ctx, cfg, logger, ready) }()
	select {
	case addr := <-ready:
		s.base = "http://" + addr
	case err := <-done:
		t.Fatalf("serveHTTP: %v", err)
	}
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("serveHTTP: %v", err)
		}
	})
	return s
}

func randomKey() string {
	b := make([]byte, 36)
	rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// admin sends an admin API request and decodes the JSON answer into out.
func (s *merchantServer) admin(t *testing.T, method, path, body string, out any) int {
	t.Helper()
	req, _ := http.NewRequest(method, s.base+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+s.adminKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	s.logs.Write(raw) // scanned for secrets with the logs
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
		}
	}
	return resp.StatusCode
}

// initialize posts an MCP initialize to path with token and returns the
// status.
func (s *merchantServer) initialize(t *testing.T, path, token string) int {
	t.Helper()
	body := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`
	req, _ := http.NewRequest(http.MethodPost, s.base+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// mint signs a customer token for a connection (aud), or for the root
// when connection is "".
func mint(t *testing.T, secret, connection, email string) string {
	t.Helper()
	tok, err := identity.Mint([]byte(secret), identity.Claims{Role: caller.Customer, Email: email, EmailVerified: true, Audience: connection}, 10*time.Minute, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestServeTwoMerchantsSideBySide connects Northwind through the CLI and
// Kestrel through the admin API, serves both with real MCP clients over
// /c/{id}/mcp and /c/{id}/sse, and checks that no caller ever sees the
// other merchant's data, also under concurrent load; then disables and
// removes them while the server runs.
func TestServeTwoMerchantsSideBySide(t *testing.T) {
	eachBackend(t, func(t *testing.T, db backend) {
		orgs := newTwoOrgs(t)
		key := newMasterKey(t, "k1")
		multiEnv(t, db, orgs.url, key)
		var tr transcript
		a := tr.add(t, orgs.northwind, "Northwind", "sandbox")
		srv := startMerchantServer(t, db, orgs.url, key)

		var b added
		if code := srv.admin(t, "POST", "/admin/connections", `{"name":"Kestrel","environment":"production","token":"`+orgs.kestrel+`"}`, &b); code != http.StatusCreated {
			t.Fatalf("admin create: %d", code)
		}
		var c added
		if code := srv.admin(t, "POST", "/admin/connections", `{"name":"No portal","environment":"sandbox","token":"`+orgs.noPortal+`"}`, &c); code != http.StatusCreated {
			t.Fatalf("admin create: %d", code)
		}
		A, B, C := a.Connection.ID, b.Connection.ID, c.Connection.ID
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()

		// Each merchant's customer, over both transports.
		alice := mint(t, a.SigningSecret, A, "alice@example.com")
		oliver := mint(t, b.SigningSecret, B, "oliver@kestrel-client.example")
		checks := []struct {
			name, url, token, tool, want, not string
		}{
			{"Northwind customer, streamable", "/c/" + A + "/mcp", alice, tools.NameSubscriptionStatus, "Pro: active, €24.00 / month", "Insights"},
			{"Northwind customer, SSE", "/c/" + A + "/sse", alice, tools.NameSubscriptionStatus, "Pro: active, €24.00 / month", "Insights"},
			{"Kestrel customer, SSE", "/c/" + B + "/sse", oliver, tools.NameSubscriptionStatus, "Insights", "Pro"},
			{"Kestrel customer, streamable", "/c/" + B + "/mcp", oliver, tools.NameSubscriptionStatus, "£15.00", "€"},
			{"Northwind's customer at Kestrel", "/c/" + B + "/mcp", mint(t, b.SigningSecret, B, "alice@example.com"), tools.NameSubscriptionStatus, "No subscription was found", "Pro"},
			{"Kestrel's customer at Northwind", "/c/" + A + "/mcp", mint(t, a.SigningSecret, A, "oliver@kestrel-client.example"), tools.NameSubscriptionStatus, "No subscription was found", "Insights"},
			{"Northwind products", "/c/" + A + "/mcp", alice, tools.NameProducts, "Community Edition", "Insights"},
			{"Kestrel products", "/c/" + B + "/mcp", oliver, tools.NameProducts, "Insights", "Community Edition"},
			{"demo at the root", "/mcp", mint(t, srv.rootSecret, "", "alice@example.com"), tools.NameSubscriptionStatus, "Pro: active", "Insights"},
		}
		for _, ck := range checks {
			text, isErr, err := testkit.CallTool(ctx, mcpClient(t, srv.base+ck.url, ck.token), ck.tool, nil)
			if err != nil || isErr || !strings.Contains(text, ck.want) || strings.Contains(text, ck.not) {
				t.Errorf("%s: %q (isError %v, %v), want %q and not %q", ck.name, text, isErr, err, ck.want, ck.not)
			}
		}

		// A token is only good for its own connection.
		refusals := []struct {
			name, path, token string
			want              int
		}{
			{"A's token at B", "/c/" + B + "/mcp", alice, http.StatusUnauthorized},
			{"B's token at A", "/c/" + A + "/sse", oliver, http.StatusUnauthorized},
			{"A's token at the root", "/mcp", alice, http.StatusUnauthorized},
			{"root token at A", "/c/" + A + "/mcp", mint(t, srv.rootSecret, "", "alice@example.com"), http.StatusUnauthorized},
			{"unknown connection", "/c/conn_zzzzzzzzzzzzzzzz/mcp", alice, http.StatusNotFound},
		}
		for _, rf := range refusals {
			if got := srv.initialize(t, rf.path, rf.token); got != rf.want {
				t.Errorf("%s: %d, want %d", rf.name, got, rf.want)
			}
		}

		// A token without customer_sessions:write: a customer is sent to
		// support, never told the merchant's fix (scopes, tokens); the
		// other tools work.
		carolC := mcpClient(t, srv.base+"/c/"+C+"/mcp", mint(t, c.SigningSecret, C, "carol@example.com"))
		text, isErr, err := testkit.CallTool(ctx, carolC, tools.NamePortalLink, nil)
		if err != nil || !isErr || !containsAll(text, "Portal links are not available", "contact support") ||
			strings.Contains(text, "scope") || strings.Contains(text, "token") {
			t.Errorf("portal link without the scope: %q %v %v", text, isErr, err)
		}
		text, isErr, err = testkit.CallTool(ctx, carolC, tools.NameSubscriptionStatus, nil)
		if err != nil || isErr || !strings.Contains(text, "paused") {
			t.Errorf("status without the portal scope: %q %v %v", text, isErr, err)
		}
		if text, _, _ := testkit.CallTool(ctx, mcpClient(t, srv.base+"/c/"+A+"/mcp", alice), tools.NamePortalLink, nil); !strings.Contains(text, "https://polar.sh/northwind-cloud/portal") {
			t.Errorf("portal link with the scope: %q", text)
		}

		concurrentCustomers(t, ctx, srv, a, b)
		if n := strings.Count(srv.logs.String(), `"msg":"connection adapter built","connection":"`+A+`"`); n != 1 {
			t.Errorf("A's adapter was built %d times, want once for the life of the connection", n)
		}

		// Disabled by another process (the CLI): refused at once, adapter
		// dropped; B goes on.
		if r := tr.cli("", "connections", "disable", A); r.code != 0 {
			t.Fatalf("disable: %s", r.stderr)
		}
		if got := srv.initialize(t, "/c/"+A+"/mcp", alice); got != http.StatusNotFound {
			t.Errorf("A right after disable: %d, want 404", got)
		}
		if !strings.Contains(srv.logs.String(), `"msg":"connection adapter dropped","connection":"`+A+`"`) {
			t.Error("A's adapter was not dropped")
		}
		if got := srv.initialize(t, "/c/"+B+"/mcp", oliver); got != http.StatusOK {
			t.Errorf("B after A was disabled: %d", got)
		}
		if code := srv.admin(t, "DELETE", "/admin/connections/"+B, "", nil); code != http.StatusNoContent {
			t.Fatalf("admin delete: %d", code)
		}
		if got := srv.initialize(t, "/c/"+B+"/sse", oliver); got != http.StatusNotFound {
			t.Errorf("B right after remove: %d, want 404", got)
		}

		noSecrets(t, "server logs and admin responses", srv.logs.String(), orgs.tokens()...)
		noSecrets(t, "CLI output", tr.String(), orgs.tokens()...)
		noSecrets(t, "database", string(db.contents(t)), orgs.tokens()...)
	})
}

// concurrentCustomers runs many MCP sessions of both merchants at once,
// each asking several times, and checks every answer is its own
// merchant's.
func concurrentCustomers(t *testing.T, ctx context.Context, srv *merchantServer, a, b added) {
	t.Helper()
	type caller struct {
		url, token, want, not string
	}
	var callers []caller
	for i := range 8 {
		transport := "/mcp"
		if i%4 == 3 {
			transport = "/sse"
		}
		callers = append(callers,
			caller{"/c/" + a.Connection.ID + transport, mint(t, a.SigningSecret, a.Connection.ID, "alice@example.com"), "€24.00", "£"},
			caller{"/c/" + b.Connection.ID + transport, mint(t, b.SigningSecret, b.Connection.ID, "oliver@kestrel-client.example"), "£15.00", "€"})
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(callers)*5)
	for _, c := range callers {
		client := mcpClient(t, srv.base+c.url, c.token)
		wg.Go(func() {
			for range 5 {
				text, isErr, err := testkit.CallTool(ctx, client, tools.NameSubscriptionStatus, nil)
				if err != nil || isErr || !strings.Contains(text, c.want) || strings.Contains(text, c.not) {
					errs <- fmt.Errorf("%s: %q (isError %v, %v)", c.url, text, isErr, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
