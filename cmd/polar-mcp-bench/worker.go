package main

import (
	"context"
	"math/rand/v2"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
)

// callTimeout bounds one tool call.
const callTimeout = 30 * time.Second

// maxSamples is how many error messages of each kind a worker keeps.
const maxSamples = 3

// outcome is how a tool call ended.
type outcome int

const (
	outcomeOK       outcome = iota // an answer
	outcomeProtocol                // a JSON-RPC or transport error: a failure
	outcomeBusy                    // isError "Polar is busy" (a customer: "Billing information is busy right now"): rate limiting
	outcomeTool                    // any other isError result
	numOutcomes
)

// raw429 matches what a 429 from Polar looks like when it leaks through:
// the status, or the body the fake (like Polar) sends with it.
var raw429 = regexp.MustCompile(`\b429\b|Too Many Requests|Rate limit exceeded`)

// budget hands out at most a fixed number of calls; unlimited when nil.
type budget struct{ left atomic.Int64 }

func newBudget(calls int) *budget {
	if calls <= 0 {
		return nil
	}
	b := &budget{}
	b.left.Store(int64(calls))
	return b
}

// take reports whether one more call may be made.
func (b *budget) take() bool { return b == nil || b.left.Add(-1) >= 0 }

// workerResult is what one client measured.
type workerResult struct {
	latencies []time.Duration
	outcomes  [numOutcomes]int64
	leaks     int64 // answers quoting a raw 429
	perTool   map[string]int64
	samples   map[outcome][]string
}

// worker is one MCP client making calls one after another.
type worker struct {
	c    *client.Client
	who  loadCaller
	mix  mix
	rand *rand.Rand
}

// run calls tools until stop is closed or the budget is spent.
func (w *worker) run(stop <-chan struct{}, b *budget) workerResult {
	res := workerResult{perTool: map[string]int64{}, samples: map[outcome][]string{}}
	for {
		select {
		case <-stop:
			return res
		default:
		}
		if !b.take() {
			return res
		}
		tool := w.mix.pick(w.rand)
		req := mcp.CallToolRequest{}
		req.Params.Name = tool
		req.Params.Arguments = arguments(tool, w.who.id.Role, w.rand)
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		start := time.Now()
		r, err := w.c.CallTool(ctx, req)
		elapsed := time.Since(start)
		cancel()
		out, msg := classify(r, err)
		res.latencies = append(res.latencies, elapsed)
		res.outcomes[out]++
		res.perTool[tool]++
		if raw429.MatchString(msg) {
			res.leaks++
		}
		if out != outcomeOK && len(res.samples[out]) < maxSamples {
			res.samples[out] = append(res.samples[out], tool+": "+msg)
		}
	}
}

// classify sorts a call's result and returns its text (or error).
func classify(r *mcp.CallToolResult, err error) (outcome, string) {
	if err != nil {
		return outcomeProtocol, err.Error()
	}
	var b strings.Builder
	for _, c := range r.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	text := b.String()
	switch {
	case !r.IsError:
		return outcomeOK, text
	case strings.Contains(text, "Polar is busy"), strings.Contains(text, "Billing information is busy right now"):
		// The second is a customer's wording of the same refusal.
		return outcomeBusy, text
	default:
		return outcomeTool, text
	}
}
