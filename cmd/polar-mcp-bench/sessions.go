package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
)

// sessionsOptions are the sessions subcommand's flags.
type sessionsOptions struct {
	count     int
	transport string
	protocol  string
	hold      time.Duration
	binary    string
	serverEnv []string
}

// runSessions opens --count initialized MCP sessions (SSE streams by
// default), keeps them idle for --hold and reports the server's memory,
// then pings every session to prove it is still open.
func runSessions(ctx context.Context, args []string, out io.Writer) error {
	var o sessionsOptions
	fs := flag.NewFlagSet("sessions", flag.ContinueOnError)
	fs.IntVar(&o.count, "count", 1000, "sessions to open")
	fs.StringVar(&o.transport, "transport", "sse", "sse (one open stream per session) or http")
	fs.StringVar(&o.protocol, "protocol", "", "MCP protocol version (default per transport)")
	fs.DurationVar(&o.hold, "hold", 10*time.Second, "how long the sessions stay idle before memory is read")
	fs.StringVar(&o.binary, "binary", "", "polar-mcp binary to spawn (default: go build ./cmd/polar-mcp)")
	fs.Func("server-env", "KEY=VALUE added to the server's environment (repeatable)", func(s string) error {
		o.serverEnv = append(o.serverEnv, s)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.count < 1 || o.count > 15_000 || o.hold < 0 || o.hold > 10*time.Minute {
		return errors.New("--count must be 1..15000 and --hold 0..10m")
	}
	limit, err := raiseFileLimit(uint64(o.count + 1024))
	if err != nil {
		return err
	}
	if limit < uint64(o.count+256) {
		return fmt.Errorf("open files limit %d is too low for %d sessions: raise ulimit -Hn", limit, o.count)
	}
	_, srv, stop, err := launch(ctx, o.binary, 0, 0, o.serverEnv)
	if err != nil {
		return err
	}
	defer stop()
	time.Sleep(time.Second)
	idle, err := srv.Mem()
	if err != nil {
		return err
	}
	who, err := callers(srv.secret, o.count)
	if err != nil {
		return err
	}
	start := time.Now()
	clients, err := dialAll(ctx, newHTTPClient(64), srv.URL, o.transport, o.protocol, who)
	defer closeAll(clients)
	if err != nil {
		return fmt.Errorf("%d of %d sessions opened: %w", len(clients), o.count, err)
	}
	opened := time.Since(start)
	select {
	case <-time.After(o.hold):
	case <-ctx.Done():
		return ctx.Err()
	}
	held, err := srv.Mem()
	if err != nil {
		return err
	}
	failed := pingAll(ctx, clients)
	perSession := float64(held.RSS-idle.RSS) / float64(len(clients))
	fmt.Fprintf(out, "sessions:      %d %s sessions opened and initialized in %s, idle for %s\n", len(clients), o.transport, opened.Round(time.Millisecond), o.hold)
	fmt.Fprintf(out, "server RSS:    idle %s, with sessions %s (peak %s), %.1f KiB per session\n", mb(idle.RSS), mb(held.RSS), mb(held.Peak), perSession/1024)
	fmt.Fprintf(out, "still open:    %d of %d answered a ping after the hold\n", len(clients)-failed, len(clients))
	fmt.Fprintf(out, "\n| sessions | transport | server RSS idle | server RSS with sessions | per session |\n")
	fmt.Fprintf(out, "| %d | %s | %s | %s | %.1f KiB |\n", len(clients), o.transport, mb(idle.RSS), mb(held.RSS), perSession/1024)
	return nil
}

// pingAll pings every client, a few at a time, and returns how many failed.
func pingAll(ctx context.Context, clients []*client.Client) int {
	var failed atomic.Int64
	sem := make(chan struct{}, 64)
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			// tools/list rather than ping: ping is gone from protocol 2026-07-28.
			if _, err := c.ListTools(pctx, mcp.ListToolsRequest{}); err != nil {
				failed.Add(1)
			}
		})
	}
	wg.Wait()
	return int(failed.Load())
}

// closeAll closes every client.
func closeAll(clients []*client.Client) {
	for _, c := range clients {
		c.Close()
	}
}
