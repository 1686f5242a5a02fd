package hosted

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/observe"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/tools"
)

// observedServer is realServer with the observer the real server has,
// which tells clients what happens at Polar.
func observedServer(t *testing.T) (*testServer, *fakepolar.Server) {
	obs := observe.New(observe.Config{Logger: slog.New(slog.DiscardHandler)})
	return demoMCP(t, tools.Options{Version: "test"}, polar.Config{Observer: obs})
}

// TestLoggingTellsTheClientAboutPolarRetries: logging/setLevel works per
// session, and a session that asked for info hears of Polar's failure and
// the retry, without any customer data; one that did not hears nothing.
func TestLoggingTellsTheClientAboutPolarRetries(t *testing.T) {
	s, fake := observedServer(t)
	for _, tr := range []struct{ kind, version string }{{"sse", "2024-11-05"}, {"http", "2025-11-25"}, {"http", "2025-03-26"}} {
		listening := connect(t, s.url, tr.kind, tr.version, customerToken(t, "alice@example.com"))
		quiet := connect(t, s.url, tr.kind, tr.version, customerToken(t, "alice@example.com"))
		if caps := listening.GetServerCapabilities(); caps.Logging == nil {
			t.Fatalf("%s: no logging capability: %+v", tr.kind, caps)
		}
		var mu sync.Mutex
		heard := map[string][]string{}
		for name, c := range map[string]*client.Client{"listening": listening, "quiet": quiet} {
			c.OnNotification(func(n mcp.JSONRPCNotification) {
				if n.Method != "notifications/message" {
					return
				}
				out, _ := json.Marshal(n.Params.AdditionalFields)
				mu.Lock()
				heard[name] = append(heard[name], string(out))
				mu.Unlock()
			})
		}
		ctx := context.Background()
		req := mcp.SetLevelRequest{}
		req.Params.Level = mcp.LoggingLevelInfo
		//lint:ignore SA1019 logging is deprecated from 2026-07-28 on, and what the versions before it offer
		if err := listening.SetLevel(ctx, req); err != nil {
			t.Fatalf("%s: logging/setLevel: %v", tr.kind, err)
		}
		for _, c := range []*client.Client{listening, quiet} {
			fake.ClearFaults()
			fake.InjectFault(fakepolar.Fault{Status: 503, Times: 1})
			_, isErr, err := testkit.CallTool(ctx, c, tools.NameSubscriptionStatus, nil)
			if err != nil || isErr {
				t.Fatalf("%s: the call failed after one 503: %v", tr.kind, err)
			}
		}
		mu.Lock()
		all := strings.Join(heard["listening"], "\n")
		if !strings.Contains(all, "answered 503") || !strings.Contains(all, "Retried") {
			t.Errorf("%s: the listening session heard %q, want the 503 and the retry", tr.kind, all)
		}
		if strings.Contains(strings.ToLower(all), "alice") || strings.Contains(all, "@") {
			t.Errorf("%s: a log message holds customer data: %s", tr.kind, all)
		}
		if len(heard["quiet"]) != 0 {
			t.Errorf("%s: a session that set no level heard %q", tr.kind, heard["quiet"])
		}
		mu.Unlock()
	}
}
