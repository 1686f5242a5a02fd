package polarmcp

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/tools"
)

// TestHTTPCommandServesDemoWithMintedTokens runs the http command's server
// on the demo organization and talks to it as a chatbot would: a token
// minted like `polar-mcp token` does, over both transports.
func TestHTTPCommandServesDemoWithMintedTokens(t *testing.T) {
	cfg := config.Config{Demo: true, Listen: "127.0.0.1:0", TokenSecret: strings.Repeat("k", 40)}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := cfg.ValidateHosted(); err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- ServeHTTP(ctx, cfg, slog.New(slog.DiscardHandler), ready) }()
	addr := <-ready
	base := "http://" + addr
	defer func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("serveHTTP: %v", err)
		}
	}()

	tok, err := identity.Mint([]byte(cfg.TokenSecret), identity.Claims{Role: caller.Customer, Email: "bob@example.com", EmailVerified: true}, time.Minute, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	headers := map[string]string{"Authorization": "Bearer " + tok}
	streamable, err := client.NewStreamableHttpClient(base+"/mcp", transport.WithHTTPHeaders(headers))
	if err != nil {
		t.Fatal(err)
	}
	sse, err := client.NewSSEMCPClient(base+"/sse", transport.WithHeaders(headers))
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]*client.Client{"streamable": streamable, "sse": sse} {
		t.Run(name, func(t *testing.T) {
			defer c.Close()
			cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := c.Start(cctx); err != nil {
				t.Fatal(err)
			}
			init := mcp.InitializeRequest{}
			init.Params.ProtocolVersion = "2025-11-25"
			init.Params.ClientInfo = mcp.Implementation{Name: "http-test", Version: "1"}
			if _, err := c.Initialize(cctx, init); err != nil {
				t.Fatal(err)
			}
			req := mcp.CallToolRequest{}
			req.Params.Name = tools.NameSubscriptionStatus
			req.Params.Arguments = map[string]any{"email": "alice@example.com"} // ignored identity widening attempt
			res, err := c.CallTool(cctx, req)
			if err != nil {
				t.Fatal(err)
			}
			if !res.IsError || !strings.Contains(testkit.Text(res), "only see your own account") {
				t.Fatalf("customer token reached another customer: %+v", res.Content)
			}
			req.Params.Arguments = nil
			res, err = c.CallTool(cctx, req)
			if err != nil || res.IsError || !strings.Contains(testkit.Text(res), "$490.00 / year") {
				t.Fatalf("own status = %+v, %v", res, err)
			}
		})
	}
}
