package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/tools"
)

// compareOptions are the compare subcommand's flags.
type compareOptions struct {
	peer      string
	node      string
	binary    string
	email     string
	spawns    int
	calls     int
	longCalls int
	longBound time.Duration
	latency   time.Duration
}

// runCompare measures polar-mcp stdio and Polar's own MCP server against
// the same fake Polar API and prints a markdown table of both.
func runCompare(ctx context.Context, args []string, out io.Writer) error {
	var o compareOptions
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.StringVar(&o.peer, "peer", "", "path to @polar-sh/sdk's bin/mcp-server.js (bench/compare.sh installs it)")
	fs.StringVar(&o.node, "node", "node", "node executable")
	fs.StringVar(&o.binary, "binary", "", "polar-mcp binary (default: go build ./cmd/polar-mcp)")
	fs.StringVar(&o.email, "email", "alice@example.com", "the customer asking about their subscription")
	fs.IntVar(&o.spawns, "spawns", 5, "spawns measured for spawn→initialize")
	fs.IntVar(&o.calls, "calls", 200, "sequential products calls for the latency median")
	fs.IntVar(&o.longCalls, "long-calls", 10_000, "products calls in total before the last memory reading")
	fs.DurationVar(&o.longBound, "long-bound", 3*time.Minute, "time bound of the long run, per server")
	fs.DurationVar(&o.latency, "latency", 0, "latency the fake Polar API adds to every response")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.peer == "" {
		return errors.New("--peer is required (run bench/compare.sh)")
	}
	if o.spawns < 1 || o.spawns > 50 || o.calls < 1 || o.calls > 100_000 || o.longCalls < o.calls || o.longCalls > 100_000 {
		return errors.New("--spawns 1..50, --calls 1..100000, --long-calls from --calls to 100000")
	}
	dir, err := os.MkdirTemp("", "polar-mcp-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	binary, err := binaryOrBuild(ctx, o.binary, dir)
	if err != nil {
		return err
	}
	peerJS, err := filepath.Abs(o.peer)
	if err != nil {
		return err
	}
	up, err := startUpstream(o.latency, 0, false)
	if err != nil {
		return err
	}
	defer up.Close()
	customerID, err := up.customerID(o.email)
	if err != nil {
		return err
	}
	base := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
	peer := comparand{
		spec: serverSpec{name: "Polar MCP server", command: o.node, dir: dir, env: base,
			args: []string{peerJS, "start", "--server-url", up.URL, "--access-token", fakepolar.DemoToken}},
		ask: func(ctx context.Context, p *stdioProc) []callResult {
			found := p.call(ctx, "customers-list", map[string]any{"request": map[string]any{"email": o.email}})
			id := idFromList(found.text, customerID) // a model would read it from the answer
			subs := p.call(ctx, "subscriptions-list", map[string]any{"request": map[string]any{"customer_id": id}})
			return []callResult{found, subs}
		},
		products: "products-list", productsArgs: map[string]any{"request": map[string]any{}},
	}
	ours := comparand{
		spec: serverSpec{name: "polar-mcp", command: binary, args: []string{"stdio"}, dir: dir,
			env: append(slices.Clone(base), "POLAR_SERVER_URL="+up.URL, "POLAR_ACCESS_TOKEN="+fakepolar.DemoToken,
				"POLAR_MCP_CUSTOMER_EMAIL="+o.email)},
		ask: func(ctx context.Context, p *stdioProc) []callResult {
			return []callResult{p.call(ctx, tools.NameSubscriptionStatus, nil)}
		},
		products: tools.NameProducts,
	}
	agent := ours.spec
	agent.env = append(slices.Clone(base), "POLAR_SERVER_URL="+up.URL, "POLAR_ACCESS_TOKEN="+fakepolar.DemoToken, "POLAR_MCP_ROLE=agent")
	ours.agent = &agent
	var figs []*figures
	for _, c := range []comparand{peer, ours} {
		fmt.Fprintf(os.Stderr, "measuring %s...\n", c.spec.name)
		f, err := c.measure(ctx, up, o)
		if err != nil {
			return err
		}
		figs = append(figs, f)
	}
	printComparison(out, figs[0], figs[1], o)
	return nil
}

// idFromList returns the first item's id of a JSON list answer, or
// fallback when the answer holds none.
func idFromList(text, fallback string) string {
	var page struct {
		Result struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		} `json:"result"`
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if json.Unmarshal([]byte(text), &page) == nil {
		if len(page.Result.Items) > 0 {
			return page.Result.Items[0].ID
		}
		if len(page.Items) > 0 {
			return page.Items[0].ID
		}
	}
	return fallback
}

// comparand is one server under comparison and how to ask it things.
type comparand struct {
	spec         serverSpec
	ask          func(ctx context.Context, p *stdioProc) []callResult // "what's my subscription status?"
	products     string
	productsArgs map[string]any
	// agent, when set, is the same server acting as a support agent, whose
	// tools/list is measured too.
	agent *serverSpec
}

// figures are what was measured of one server.
type figures struct {
	name                   string
	spawns                 []time.Duration // sorted
	tools, bytes           int
	agentTools, agentBytes int // as a support agent; 0 when not measured

	question           []callResult
	coldUp, warmUp     int64 // upstream requests of the question, first and second time
	productsColdUp     int64 // upstream requests of the first products call
	productsWarmUp     int64 // of the calls after it
	productsLatencies  []time.Duration
	productsAnswered   int
	productsSample     string
	longCalls          int
	longElapsed        time.Duration
	start, after, long memStat
}

// measure runs every measurement on one server.
func (c comparand) measure(ctx context.Context, up *upstream, o compareOptions) (*figures, error) {
	f := &figures{name: c.spec.name}
	for range o.spawns {
		p, d, err := spawnStdio(ctx, c.spec)
		if err != nil {
			return nil, err
		}
		p.Close()
		f.spawns = append(f.spawns, d)
	}
	slices.Sort(f.spawns)
	if c.agent != nil {
		p, _, err := spawnStdio(ctx, *c.agent)
		if err != nil {
			return nil, err
		}
		f.agentBytes, f.agentTools, err = p.toolsList(ctx)
		p.Close()
		if err != nil {
			return nil, err
		}
	}

	p, _, err := spawnStdio(ctx, c.spec)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	time.Sleep(500 * time.Millisecond)
	if f.start, err = p.Mem(); err != nil {
		return nil, err
	}
	if f.bytes, f.tools, err = p.toolsList(ctx); err != nil {
		return nil, err
	}
	n := up.Requests()
	f.question = c.ask(ctx, p)
	f.coldUp, n = up.Requests()-n, up.Requests()
	c.ask(ctx, p)
	f.warmUp, n = up.Requests()-n, up.Requests()

	for i := range o.calls {
		r := p.call(ctx, c.products, c.productsArgs)
		f.productsLatencies = append(f.productsLatencies, r.elapsed)
		if r.outcome == outcomeOK {
			f.productsAnswered++
		}
		if i == 0 {
			f.productsSample = r.text
			f.productsColdUp, n = up.Requests()-n, up.Requests()
		}
	}
	f.productsWarmUp = up.Requests() - n
	slices.Sort(f.productsLatencies)
	if f.after, err = p.Mem(); err != nil {
		return nil, err
	}

	start := time.Now()
	f.longCalls = o.calls
	for f.longCalls < o.longCalls && time.Since(start) < o.longBound && ctx.Err() == nil {
		p.call(ctx, c.products, c.productsArgs)
		f.longCalls++
	}
	f.longElapsed = time.Since(start)
	f.long, err = p.Mem()
	return f, err
}
