package main

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/tools"
)

// maxInFlight bounds the open-loop calls in flight; beyond it a question
// is shed (counted, not asked).
const maxInFlight = 1024

// asker is one caller's MCP session on one instance.
type asker struct {
	c   *client.Client
	who loadCaller
}

// chooser draws the next question: which customer it is about (an index
// into the customers) and which tool answers it.
type chooser struct {
	mix       mix
	rand      *rand.Rand
	customer  func() int // index of the customer asking (or asked about)
	customers []asker
	agents    []asker
	emails    []string
}

// next returns who asks, the tool and its arguments. Agents ask for
// visitor insights about a customer; customers ask everything else.
func (c *chooser) next() (asker, string, map[string]any) {
	tool := c.mix.pick(c.rand)
	i := c.customer()
	if tool == tools.NameVisitorInsights && len(c.agents) > 0 {
		a := c.agents[c.rand.IntN(len(c.agents))]
		args := arguments(tool, caller.Agent, c.rand)
		args["email"] = c.emails[i]
		return a, tool, args
	}
	return c.customers[i], tool, arguments(tool, caller.Customer, c.rand)
}

// openResult is what an open-loop run measured.
type openResult struct {
	offered  int64
	shed     int64
	outcomes [numOutcomes]int64
	leaks    int64
	samples  map[outcome][]string
	elapsed  time.Duration
}

// driveOpen asks rate questions per second, whatever the answers take,
// for duration (or until ctx ends), then waits for the calls in flight.
func driveOpen(ctx context.Context, ch *chooser, rate float64, duration time.Duration) openResult {
	res := openResult{samples: map[outcome][]string{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, maxInFlight)
	tick := time.NewTicker(time.Duration(float64(time.Second) / rate))
	defer tick.Stop()
	stop := time.After(duration)
	start := time.Now()
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-stop:
			break loop
		case <-tick.C:
		}
		res.offered++
		select {
		case sem <- struct{}{}:
		default:
			res.shed++
			continue
		}
		a, tool, args := ch.next()
		wg.Go(func() {
			defer func() { <-sem }()
			req := mcp.CallToolRequest{}
			req.Params.Name, req.Params.Arguments = tool, args
			cctx, cancel := context.WithTimeout(context.Background(), callTimeout)
			r, err := a.c.CallTool(cctx, req)
			cancel()
			out, msg := classify(r, err)
			mu.Lock()
			defer mu.Unlock()
			res.outcomes[out]++
			if raw429.MatchString(msg) {
				res.leaks++
			}
			if out != outcomeOK && len(res.samples[out]) < maxSamples {
				res.samples[out] = append(res.samples[out], tool+": "+msg)
			}
		})
	}
	res.elapsed = time.Since(start)
	wg.Wait()
	return res
}
