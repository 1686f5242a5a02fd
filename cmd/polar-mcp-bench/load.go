package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/client"
)

// loadOptions are the load subcommand's flags.
type loadOptions struct {
	transport string
	protocol  string
	clients   int
	duration  time.Duration
	calls     int
	latency   time.Duration
	mix       string
	binary    string
	rateLimit int
	serverEnv []string
	seed      uint64
}

func parseLoadFlags(args []string) (loadOptions, error) {
	var o loadOptions
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.StringVar(&o.transport, "transport", "http", "http (streamable HTTP at /mcp) or sse (legacy SSE at /sse)")
	fs.StringVar(&o.protocol, "protocol", "", "MCP protocol version to negotiate (default 2025-11-25 on http, 2024-11-05 on sse)")
	fs.IntVar(&o.clients, "clients", 32, "concurrent MCP clients, each with its own session and caller token")
	fs.DurationVar(&o.duration, "duration", 0, "how long to call (default 20s; with --calls, an upper bound of 10m)")
	fs.IntVar(&o.calls, "calls", 0, "total tool calls to make (0: until --duration)")
	fs.DurationVar(&o.latency, "latency", 0, "latency the fake Polar API adds to every response")
	fs.StringVar(&o.mix, "mix", defaultMix, "tool mix by weight: subscription, orders, benefits, products, insights, portal, manage")
	fs.StringVar(&o.binary, "binary", "", "polar-mcp binary to spawn (default: go build ./cmd/polar-mcp)")
	fs.IntVar(&o.rateLimit, "rate-limit", 0, "the fake answers 429 beyond this many requests per minute; records and checks upstream rates")
	fs.Func("server-env", "KEY=VALUE added to the server's environment (repeatable)", func(s string) error {
		o.serverEnv = append(o.serverEnv, s)
		return nil
	})
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the tool and customer draws")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case o.clients < 1 || o.clients > 20_000:
		return o, errors.New("--clients must be between 1 and 20000")
	case o.calls < 0:
		return o, errors.New("--calls must not be negative")
	case o.duration == 0 && o.calls == 0:
		o.duration = 20 * time.Second
	case o.duration == 0:
		o.duration = 10 * time.Minute
	}
	if o.duration > time.Hour {
		return o, errors.New("--duration must be at most 1h")
	}
	return o, nil
}

// runLoad drives concurrent MCP clients against a spawned polar-mcp http.
func runLoad(ctx context.Context, args []string, out io.Writer) error {
	o, err := parseLoadFlags(args)
	if err != nil {
		return err
	}
	m, err := parseMix(o.mix)
	if err != nil {
		return err
	}
	if _, err := raiseFileLimit(uint64(2*o.clients + 256)); err != nil {
		return err
	}
	up, srv, stop, err := launch(ctx, o.binary, o.latency, o.rateLimit, o.serverEnv)
	if err != nil {
		return err
	}
	defer stop()

	time.Sleep(time.Second) // let start-up garbage settle
	idle, err := srv.Mem()
	if err != nil {
		return err
	}
	who, err := callers(srv.secret, o.clients)
	if err != nil {
		return err
	}
	hc := newHTTPClient(o.clients)
	clients, err := dialAll(ctx, hc, srv.URL, o.transport, o.protocol, who)
	defer closeAll(clients)
	if err != nil {
		return err
	}
	connected, err := srv.Mem()
	if err != nil {
		return err
	}

	upBefore, throttledBefore := up.Requests(), up.Throttled()
	srvCPU, benchCPU, allCPU := cpuOf(srv.PID()), selfCPU(), machineBusy()
	start := time.Now()
	results := drive(ctx, clients, who, m, o)
	elapsed := time.Since(start)
	srvCPU, benchCPU, allCPU = cpuOf(srv.PID())-srvCPU, selfCPU()-benchCPU, machineBusy()-allCPU
	after, err := srv.Mem()
	if err != nil {
		return err
	}
	rep := summarize(results, elapsed)
	rep.upstream = up.Requests() - upBefore
	rep.throttled = up.Throttled() - throttledBefore
	rep.idle, rep.connected, rep.after = idle, connected, after
	rep.serverCPU, rep.benchCPU, rep.otherCPU = srvCPU, benchCPU, max(allCPU-srvCPU-benchCPU, 0)
	rep.print(out, o)
	if o.rateLimit > 0 {
		printRates(out, up.Times(), o.rateLimit)
	}
	return nil
}

// dialAll connects one client per caller, a few at a time.
func dialAll(ctx context.Context, hc *http.Client, base, kind, protocol string, who []loadCaller) ([]*client.Client, error) {
	clients := make([]*client.Client, len(who))
	errs := make([]error, len(who))
	sem := make(chan struct{}, 32)
	var wg sync.WaitGroup
	for i := range who {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			clients[i], errs[i] = dial(ctx, hc, base, kind, protocol, who[i].token)
		})
	}
	wg.Wait()
	var connected []*client.Client
	for _, c := range clients {
		if c != nil {
			connected = append(connected, c)
		}
	}
	return connected, errors.Join(errs...)
}

// drive runs one worker per client until the duration ends, the call
// budget is spent or ctx is canceled.
func drive(ctx context.Context, clients []*client.Client, who []loadCaller, m mix, o loadOptions) []workerResult {
	// Calls in flight finish when the run ends: they have their own contexts.
	runCtx, cancel := context.WithTimeout(ctx, o.duration)
	defer cancel()
	b := newBudget(o.calls)
	results := make([]workerResult, len(clients))
	var wg sync.WaitGroup
	for i, c := range clients {
		w := &worker{c: c, who: who[i], mix: m.forRole(who[i].id.Role), rand: rand.New(rand.NewPCG(o.seed, uint64(i)))}
		wg.Go(func() { results[i] = w.run(runCtx.Done(), b) })
	}
	wg.Wait()
	return results
}

// cpuOf is the CPU time process pid has used, or 0 if unreadable.
func cpuOf(pid int) time.Duration {
	d, _ := readCPU(pid)
	return d
}
