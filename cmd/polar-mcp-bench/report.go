package main

import (
	"fmt"
	"io"
	"maps"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"
)

// loadReport is the outcome of a load run.
type loadReport struct {
	calls     int64
	elapsed   time.Duration
	latencies []time.Duration // sorted
	outcomes  [numOutcomes]int64
	leaks     int64
	perTool   map[string]int64
	samples   map[outcome][]string

	upstream  int64 // requests the fake received during the run
	throttled int64 // of which answered 429

	idle, connected, after memStat

	serverCPU time.Duration // CPU the server used during the run
	benchCPU  time.Duration // CPU this process (clients and fake Polar) used
	otherCPU  time.Duration // CPU every other process on the machine used
}

// summarize merges the workers' results.
func summarize(results []workerResult, elapsed time.Duration) *loadReport {
	r := &loadReport{elapsed: elapsed, perTool: map[string]int64{}, samples: map[outcome][]string{}}
	for _, w := range results {
		r.latencies = append(r.latencies, w.latencies...)
		for i, n := range w.outcomes {
			r.outcomes[i] += n
		}
		r.leaks += w.leaks
		for t, n := range w.perTool {
			r.perTool[t] += n
		}
		for o, s := range w.samples {
			if len(r.samples[o]) < maxSamples {
				r.samples[o] = append(r.samples[o], s...)
			}
		}
	}
	slices.Sort(r.latencies)
	r.calls = int64(len(r.latencies))
	return r
}

// percentile returns the p-th percentile (0 < p <= 100) of sorted values.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// ms formats a duration in milliseconds.
func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

// print writes the report as "key: value" lines and one markdown row.
func (r *loadReport) print(out io.Writer, o loadOptions) {
	rate := float64(r.calls) / r.elapsed.Seconds()
	perCall := 0.0
	if r.calls > 0 {
		perCall = float64(r.upstream) / float64(r.calls)
	}
	p := func(format string, a ...any) { fmt.Fprintf(out, format+"\n", a...) }
	p("transport:          %s, %d clients, upstream latency %s, fake Polar limit %d/min (0: none), server env %v",
		o.transport, o.clients, o.latency, o.rateLimit, o.serverEnv)
	p("calls:              %d in %s", r.calls, r.elapsed.Round(time.Millisecond))
	p("throughput:         %.0f calls/s", rate)
	p("latency:            p50 %s, p95 %s, p99 %s, max %s",
		ms(percentile(r.latencies, 50)), ms(percentile(r.latencies, 95)), ms(percentile(r.latencies, 99)), ms(percentile(r.latencies, 100)))
	p("answers:            %d", r.outcomes[outcomeOK])
	p("protocol errors:    %d", r.outcomes[outcomeProtocol])
	p("isError (busy):     %d", r.outcomes[outcomeBusy])
	p("isError (other):    %d", r.outcomes[outcomeTool])
	p("raw 429 in answers: %d", r.leaks)
	p("upstream requests:  %d (%.3f per call), %d answered 429", r.upstream, perCall, r.throttled)
	p("server RSS:         idle %s, %d sessions open %s, after run %s, peak %s",
		mb(r.idle.RSS), o.clients, mb(r.connected.RSS), mb(r.after.RSS), mb(r.after.Peak))
	p("CPU during the run: server %s (%.0f%% of one core, %.0f µs per call), load generator + fake Polar %s (%.0f%%)",
		r.serverCPU.Round(time.Millisecond), 100*r.serverCPU.Seconds()/r.elapsed.Seconds(), perCallMicros(r.serverCPU, r.calls),
		r.benchCPU.Round(time.Millisecond), 100*r.benchCPU.Seconds()/r.elapsed.Seconds())
	p("other processes:    %s of CPU (%.0f%% of one core) on %d cores: the machine is shared", r.otherCPU.Round(time.Millisecond),
		100*r.otherCPU.Seconds()/r.elapsed.Seconds(), runtime.NumCPU())
	p("per tool:           %s", r.toolCounts())
	for _, oc := range []outcome{outcomeProtocol, outcomeBusy, outcomeTool} {
		for _, s := range r.samples[oc] {
			p("sample %-11s %s", outcomeName(oc)+":", truncate(s, 200))
		}
	}
	p("")
	p("| transport | clients | upstream latency | calls | calls/s | p50 | p95 | p99 | protocol errors | isError busy/other | upstream/call | server RSS idle → after (peak) |")
	p("| %s | %d | %s | %d | %.0f | %s | %s | %s | %d | %d/%d | %.2f | %s → %s (%s) |",
		o.transport, o.clients, o.latency, r.calls, rate,
		ms(percentile(r.latencies, 50)), ms(percentile(r.latencies, 95)), ms(percentile(r.latencies, 99)),
		r.outcomes[outcomeProtocol], r.outcomes[outcomeBusy], r.outcomes[outcomeTool], perCall,
		mb(r.idle.RSS), mb(r.after.RSS), mb(r.after.Peak))
}

func (r *loadReport) toolCounts() string {
	names := slices.Sorted(maps.Keys(r.perTool))
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s %d", n, r.perTool[n])
	}
	return strings.Join(parts, ", ")
}

func outcomeName(o outcome) string {
	return [...]string{"ok", "protocol", "busy", "isError"}[o]
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// printRates writes the upstream request rate a rate-limited run saw:
// the busiest sliding minute, and each minute from the first request (the
// fake's own windows), against the limit.
func printRates(out io.Writer, times []time.Time, limit int) {
	if len(times) == 0 {
		fmt.Fprintln(out, "upstream rate:      no requests")
		return
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	busiest := busiestMinute(times)
	var minutes []string
	t0 := times[0]
	counts := map[int]int{}
	for _, t := range times {
		counts[int(t.Sub(t0)/time.Minute)]++
	}
	for m := 0; m <= int(times[len(times)-1].Sub(t0)/time.Minute); m++ {
		minutes = append(minutes, fmt.Sprint(counts[m]))
	}
	verdict := "within"
	if busiest > limit {
		verdict = "OVER"
	}
	fmt.Fprintf(out, "upstream rate:      busiest sliding minute %d requests (limit %d: %s); per minute from the first request: %s\n",
		busiest, limit, verdict, strings.Join(minutes, ", "))
}

// busiestMinute returns the most requests sent within any 60 seconds,
// given their sorted times.
func busiestMinute(sorted []time.Time) int {
	busiest, j := 0, 0
	for i := range sorted {
		for sorted[i].Sub(sorted[j]) >= time.Minute {
			j++
		}
		busiest = max(busiest, i-j+1)
	}
	return busiest
}

// perCallMicros is d per call in microseconds.
func perCallMicros(d time.Duration, calls int64) float64 {
	if calls == 0 {
		return 0
	}
	return float64(d.Microseconds()) / float64(calls)
}
