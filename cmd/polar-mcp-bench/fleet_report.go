package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strings"
	"time"
)

// phaseReport is what one fleet phase measured.
type phaseReport struct {
	phase     fleetPhase
	res       openResult
	upstream  int64          // requests the fake received
	throttled int64          // of which it answered 429
	busiest   int            // most requests in any 60 s
	delivered int            // webhook deliveries answered 2xx
	mutations int            // changes made to the data during the run
	before    map[string]int // requests before the questions (start-up, sessions), by path
	during    map[string]int // requests while the questions ran, by path
	visible   []visibility   // how soon each change showed in its customer's answer
	watchBusy string         // the last busy answer while watching them
	// loadBefore and loadAfter are the machine's 1-minute load average
	// when the questions started and ended (the machine is shared).
	loadBefore, loadAfter string
}

// loadAverage is the 1-minute load average ("?" where /proc/loadavg is
// not there).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return "?"
}

func (r phaseReport) minutes() float64 { return r.res.elapsed.Minutes() }

func (r phaseReport) answered() int64 { return r.res.outcomes[outcomeOK] }

func (r phaseReport) asked() int64 { return r.res.offered - r.res.shed }

// busyShare is the share of asked questions answered "Polar is busy".
func (r phaseReport) busyShare() float64 {
	if r.asked() == 0 {
		return 0
	}
	return float64(r.res.outcomes[outcomeBusy]) / float64(r.asked())
}

// ceiling is the per-minute ceiling the instances enforce together.
func ceiling(o fleetOptions) int { return o.polarLimit * 9 / 10 }

func (r phaseReport) print(out io.Writer, o fleetOptions) {
	p := func(format string, a ...any) { fmt.Fprintf(out, format+"\n", a...) }
	res := r.res
	p("== %s (%d instance(s), env %v)", r.phase.name, r.phase.instances, r.phase.env)
	p("questions:          %d offered at %.1f/s over %s, %d shed (over %d in flight)",
		res.offered, o.rate, res.elapsed.Round(time.Second), res.shed, maxInFlight)
	p("answered:           %d (%.0f per minute)", r.answered(), float64(r.answered())/r.minutes())
	p("busy answers:       %d (%.1f%% of asked)", res.outcomes[outcomeBusy], 100*r.busyShare())
	p("other errors:       protocol %d, isError %d, raw 429 quoted %d",
		res.outcomes[outcomeProtocol], res.outcomes[outcomeTool], res.leaks)
	p("upstream:           %d requests (%.0f per minute, %.2f per answer), busiest 60 s %d (ceiling %d), %d answered 429",
		r.upstream, float64(r.upstream)/r.minutes(), perAnswer(r.upstream, r.answered()), r.busiest, ceiling(o), r.throttled)
	p("data changes:       %d, webhook deliveries received %d", r.mutations, r.delivered)
	for _, v := range r.visible {
		p("change at %4.1f s:    cancel_at_period_end=%t, visible after %s (seen %t, run ended first %t), %d busy answers while watching, %d requests in the 60 s before (ceiling %d)",
			v.at.Seconds(), v.cancel, v.delay.Round(time.Millisecond), v.seen, v.cut, v.busy, v.recent, ceiling(o))
	}
	if r.watchBusy != "" {
		p("watching, busy:     %s", truncate(r.watchBusy, 200))
	}
	for _, v := range r.visible {
		if v.last != "" {
			p("watching, error:    %s", truncate(v.last, 200))
		}
	}
	p("load average:       %s at the start, %s at the end", r.loadBefore, r.loadAfter)
	p("before the run:     %v (start-up and sessions; they count in the busiest 60 s)", r.before)
	p("during the run:     %v (by path: what each kind of question cost)", r.during)
	for _, oc := range []outcome{outcomeProtocol, outcomeBusy, outcomeTool} {
		for _, s := range res.samples[oc] {
			p("sample %-11s %s", outcomeName(oc)+":", truncate(s, 200))
		}
	}
	p("")
}

// printFleetTable writes one markdown row per phase.
func printFleetTable(out io.Writer, o fleetOptions, reps []phaseReport) {
	p := func(format string, a ...any) { fmt.Fprintf(out, format+"\n", a...) }
	p("mode %s, %.1f questions/s, %s per run, fake Polar %d/min, mix %s, %d cores (shared)",
		o.mode, o.rate, o.duration, o.polarLimit, o.mix, runtime.NumCPU())
	p("| run | customers | questions/min | instances | asked | answered/min | busy | other errors | upstream/min | upstream/answer | busiest 60 s (≤ %d) | 429s | change visible after | load avg |", ceiling(o))
	p("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range reps {
		res := r.res
		p("| %s | %d | %.0f | %d | %d | %.0f | %.1f%% | %d | %.0f | %.3f | %d | %d | %s | %s → %s |",
			r.phase.name, o.customers, o.rate*60, r.phase.instances, r.asked(), float64(r.answered())/r.minutes(), 100*r.busyShare(),
			res.outcomes[outcomeProtocol]+res.outcomes[outcomeTool], float64(r.upstream)/r.minutes(),
			perAnswer(r.upstream, r.answered()), r.busiest, r.throttled, visibleSummary(r.visible, ceiling(o)),
			r.loadBefore, r.loadAfter)
	}
}

func perAnswer(n, answers int64) float64 {
	if answers == 0 {
		return 0
	}
	return float64(n) / float64(answers)
}

func sortedTimes(t []time.Time) []time.Time {
	sort.Slice(t, func(i, j int) bool { return t[i].Before(t[j]) })
	return t
}
