// Command polar-mcp-bench measures polar-mcp: throughput, latency, upstream
// requests and memory of the hosted endpoint under load, idle SSE sessions,
// the client-side rate limiter, and a side-by-side comparison with Polar's
// own MCP server over stdio. docs/BENCHMARKS.md has the figures and the
// commands that produce them.
//
// Every subcommand starts the fake Polar API in-process on a loopback
// httptest server, so it can count upstream requests and add latency, and
// spawns the server under test as a separate process, so that process's
// memory (/proc/PID/status) excludes the load generator. Nothing leaves
// 127.0.0.1, and every loop is bounded in count and time.
//
// Usage:
//
//	polar-mcp-bench load     [flags]  concurrent MCP clients against polar-mcp http
//	polar-mcp-bench sessions [flags]  idle SSE sessions and the server's memory
//	polar-mcp-bench compare  [flags]  polar-mcp stdio beside Polar's MCP server
//	polar-mcp-bench hostile  [flags]  attacks on polar-mcp http, and how it holds
//	polar-mcp-bench fleet    [flags]  instances sharing one Polar budget through Redis; Zipf workloads
//	polar-mcp-bench spawn    [flags] BINARY...  start-up of polar-mcp binaries side by side
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// subcommand is one benchmark: it parses its own flags and runs.
type subcommand struct {
	summary string
	run     func(ctx context.Context, args []string, out io.Writer) error
}

func subcommands() map[string]subcommand {
	return map[string]subcommand{
		"load":     {"concurrent MCP clients against a spawned polar-mcp http", runLoad},
		"sessions": {"idle SSE sessions held open against a spawned polar-mcp http", runSessions},
		"compare":  {"polar-mcp stdio beside Polar's own MCP server (@polar-sh/sdk)", runCompare},
		"hostile":  {"hostile traffic against a spawned polar-mcp http", runHostile},
		"fleet":    {"instances sharing one Polar budget through Redis; a Zipf workload per cache setting", runFleet},
		"spawn":    {"spawn → initialize of polar-mcp binaries side by side (bench/startup.sh)", runSpawn},
	}
}

// run executes one subcommand and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) int {
	cmds := subcommands()
	if len(args) == 0 || cmds[args[0]].run == nil {
		fmt.Fprintln(stderr, "usage: polar-mcp-bench load|sessions|compare [flags]  (-h for flags)")
		for _, name := range []string{"load", "sessions", "compare"} {
			fmt.Fprintf(stderr, "  %-9s %s\n", name, cmds[name].summary)
		}
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := cmds[args[0]].run(ctx, args[1:], stdout); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "polar-mcp-bench:", err)
		return 1
	}
	return 0
}
