package polarmcp

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/tenants/connections"
)

// The demo serves the single merchant from memory; connections still
// reach the operator's Polar server, with their own token.
func TestDemoIsTheSingleMerchantOnly(t *testing.T) {
	const connToken = "polar_oat_connection_token"
	fake, err := fakepolar.Demo(fakepolar.Options{Tokens: map[string][]string{connToken: fakepolar.AllScopes()}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(fake)
	defer ts.Close()
	a, err := NewAdapters(config.Config{Demo: true, ServerURL: ts.URL, Environment: config.Production}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}

	merchant, err := a.Merchant()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := merchant.ListProducts(context.Background()); err != nil {
		t.Fatalf("demo merchant: %v", err)
	}
	if n := fake.RequestCount(); n != 0 {
		t.Fatalf("the demo merchant sent %d requests over the network", n)
	}

	conn, err := a.SDK(connections.Sandbox, connToken, a.Limiter(connections.Sandbox, "org", 0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ListProducts(context.Background()); err != nil {
		t.Fatalf("connection: %v", err)
	}
	if n := fake.RequestCount(); n != 1 {
		t.Fatalf("the connection sent %d requests to the operator's server, want 1", n)
	}
}
