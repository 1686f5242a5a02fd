package main

import (
	"fmt"
	"io"
	"time"
)

// printComparison writes the side-by-side table of peer and ours, with
// ratios (peer / ours) and the targets.
func printComparison(out io.Writer, peer, ours *figures, o compareOptions) {
	p := func(format string, a ...any) { fmt.Fprintf(out, format+"\n", a...) }
	ratio := func(a, b float64) string {
		if b == 0 {
			return "—"
		}
		return fmt.Sprintf("%.1f×", a/b)
	}
	spawnP, spawnO := median(peer.spawns), median(ours.spawns)
	latP, latO := median(peer.productsLatencies), median(ours.productsLatencies)
	warmP := perCall(peer.productsWarmUp, o.calls-1)
	warmO := perCall(ours.productsWarmUp, o.calls-1)

	p("| measure | Polar MCP server (@polar-sh/sdk 0.36.2) | polar-mcp | ratio (Polar / polar-mcp) | target |")
	p("| --- | --- | --- | --- | --- |")
	p("| tools offered (to a customer) | %d | %d | %s | |", peer.tools, ours.tools, ratio(float64(peer.tools), float64(ours.tools)))
	p("| tools/list result, bytes (customer) | %d | %d | %s | ≤ 16,000 bytes |", peer.bytes, ours.bytes, ratio(float64(peer.bytes), float64(ours.bytes)))
	if ours.agentTools > 0 {
		p("| as a support agent: tools offered, tools/list bytes | %d, %d | %d, %d | %s | ≤ 16,000 bytes |",
			peer.tools, peer.bytes, ours.agentTools, ours.agentBytes, ratio(float64(peer.bytes), float64(ours.agentBytes)))
	}
	p("| spawn → initialize response, median of %d (min–max) | %s (%s–%s) | %s (%s–%s) | %s | ≤ 1/15 of Polar's |",
		len(peer.spawns), ms(spawnP), ms(peer.spawns[0]), ms(peer.spawns[len(peer.spawns)-1]),
		ms(spawnO), ms(ours.spawns[0]), ms(ours.spawns[len(ours.spawns)-1]), ratio(float64(spawnP), float64(spawnO)))
	p("| tool calls for \"what's my subscription status?\" | %d | %d | | 1 |", len(peer.question), len(ours.question))
	p("| upstream requests for it, cold / warm | %d / %d | %d / %d | | ≤ 2 / ≤ 1 |", peer.coldUp, peer.warmUp, ours.coldUp, ours.warmUp)
	p("| the question answered | %s | %s | | |", answered(peer.question), answered(ours.question))
	p("| products: upstream requests, first call / per later call | %d / %.2f | %d / %.2f | | 0 warm |",
		peer.productsColdUp, warmP, ours.productsColdUp, warmO)
	p("| products: median latency of %d sequential calls | %s | %s | %s | ≤ 1/3 of Polar's |",
		o.calls, ms(latP), ms(latO), ratio(float64(latP), float64(latO)))
	p("| products: calls answered (not isError) | %d of %d | %d of %d | | |", peer.productsAnswered, o.calls, ours.productsAnswered, o.calls)
	p("| RSS at start | %s | %s | %s | |", mb(peer.start.RSS), mb(ours.start.RSS), ratio(float64(peer.start.RSS), float64(ours.start.RSS)))
	p("| RSS after %d calls | %s | %s | %s | |", o.calls, mb(peer.after.RSS), mb(ours.after.RSS), ratio(float64(peer.after.RSS), float64(ours.after.RSS)))
	p("| RSS after N products calls (N, time) | %s (%d, %s) | %s (%d, %s) | %s | ≤ 1/4 of Polar's at 10,000 |",
		mb(peer.long.RSS), peer.longCalls, peer.longElapsed.Round(time.Second), mb(ours.long.RSS), ours.longCalls, ours.longElapsed.Round(time.Second),
		ratio(float64(peer.long.RSS), float64(ours.long.RSS)))
	p("| peak RSS (VmHWM) | %s | %s | %s | |", mb(peer.long.Peak), mb(ours.long.Peak), ratio(float64(peer.long.Peak), float64(ours.long.Peak)))
	p("")
	for _, f := range []*figures{peer, ours} {
		for i, r := range f.question {
			p("%s, question call %d (%s): %s", f.name, i+1, outcomeName(r.outcome), truncate(r.text, 160))
		}
		p("%s, first products answer (%d bytes): %s", f.name, len(f.productsSample), truncate(f.productsSample, 160))
	}
}

// median of sorted durations.
func median(sorted []time.Duration) time.Duration { return percentile(sorted, 50) }

func perCall(n int64, calls int) float64 {
	if calls <= 0 {
		return 0
	}
	return float64(n) / float64(calls)
}

// answered says whether every call of a question got an answer.
func answered(rs []callResult) string {
	for _, r := range rs {
		if r.outcome != outcomeOK {
			return "no: " + truncate(r.text, 60)
		}
	}
	return "yes"
}
