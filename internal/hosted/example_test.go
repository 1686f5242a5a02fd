package hosted_test

import (
	"context"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/hosted"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/tools"
)

// Serving polar-mcp over HTTP in single-merchant mode, with graceful
// shutdown on SIGTERM.
func ExampleNew() {
	pc, err := polar.New(polar.Config{AccessToken: os.Getenv("POLAR_ACCESS_TOKEN")})
	if err != nil {
		log.Fatal(err)
	}
	// Every verified request carries the organization's adapter.
	bind := func(ctx context.Context) context.Context { return tools.WithClient(ctx, pc) }
	secrets, err := hosted.Static([]byte(os.Getenv("POLAR_MCP_TOKEN_SECRET")), bind)
	if err != nil {
		log.Fatal(err)
	}
	mcp := tools.NewServer(tools.Deps{}, tools.Options{})

	h, err := hosted.New(hosted.Config{
		BaseURL: "https://mcp.example.com",
		Resolve: secrets,
	}, mcp)
	if err != nil {
		log.Fatal(err)
	}
	// No WriteTimeout: SSE streams stay open.
	srv := &http.Server{Addr: ":8080", Handler: h, ReadHeaderTimeout: 10 * time.Second}

	go func() {
		if err := srv.ListenAndServe(); err != http.ErrServerClosed {
			log.Fatal(err)
		}
	}()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := h.Shutdown(shutdown); err != nil { // finish calls in flight, close streams
		log.Print(err)
	}
	if err := srv.Shutdown(shutdown); err != nil { // then the listener and idle connections
		log.Print(err)
	}
}
