package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
)

// recoveryLimit bounds the wait for the server to serve again after an
// attack.
const recoveryLimit = 30 * time.Second

// hostileRow is one attack's figures.
type hostileRow struct {
	spec    hostileSpec
	out     attackOutcome
	fds     [3]int   // server fds before, peak during, after
	rss     [3]int64 // server RSS before, peak during, after
	live    liveness
	recover time.Duration // -1: not within recoveryLimit
	elapsed time.Duration
}

// runSpec starts a fresh server, checks that a bystander is served, runs
// the attack while watching, releases it and measures the recovery.
func runSpec(ctx context.Context, binary string, s hostileSpec) (hostileRow, error) {
	row := hostileRow{spec: s}
	t, err := startTarget(ctx, binary, s.env)
	if err != nil {
		return row, err
	}
	defer t.Stop()
	token, err := t.token(bystanderEmail)
	if err != nil {
		return row, err
	}
	b, err := newBystander(ctx, t.srv.URL, token)
	if err != nil {
		return row, err
	}
	defer b.Close()
	if out, text := b.call(ctx); out != outcomeOK {
		return row, fmt.Errorf("the bystander's first call failed: %s", text)
	}
	time.Sleep(500 * time.Millisecond)
	row.fds[0], row.rss[0] = t.fds(), t.rss()
	start := time.Now()
	w := startWatch(ctx, t, b)
	row.out, err = s.attack(ctx, t, b)
	row.live, row.fds[1], row.rss[1] = w.stop()
	row.elapsed = time.Since(start)
	if row.out.release != nil {
		row.out.release()
	}
	if err != nil {
		return row, err
	}
	row.recover = recovery(ctx, b, recoveryLimit)
	if s.selfTimed {
		row.recover = row.out.recover
	}
	time.Sleep(2 * time.Second)
	row.fds[2], row.rss[2] = t.fds(), t.rss()
	return row, nil
}

// printHostile writes the rows as a Markdown table and their notes.
func printHostile(out io.Writer, rows []hostileRow, total time.Duration) {
	fmt.Fprintf(out, "hostile: %d attacks in %s (server: polar-mcp http, spawned fresh for each)\n\n", len(rows), total.Round(time.Second))
	fmt.Fprintln(out, "| attack | server setting | attacker's answers | held by attacker (peak) | server fds before / peak / after | server RSS before / peak / after | /healthz during | other caller's calls during | recovery |")
	fmt.Fprintln(out, "|---|---|---|---:|---|---|---|---|---:|")
	for _, r := range rows {
		fmt.Fprintf(out, "| %s | %s | %s | %d | %d / %d / %d | %s / %s / %s | %d of %d | %d of %d | %s |\n",
			r.spec.name, r.spec.setting, answers(r.out.statuses), r.out.held,
			r.fds[0], r.fds[1], r.fds[2], mib(r.rss[0]), mib(r.rss[1]), mib(r.rss[2]),
			r.live.healthOK, r.live.healthN, r.live.callOK, r.live.callN, recoveryText(r.recover))
	}
	fmt.Fprintln(out)
	for _, r := range rows {
		notes := append([]string{fmt.Sprintf("attack phase %s", r.elapsed.Round(100*time.Millisecond))}, r.out.notes...)
		if r.live.sample != "" {
			notes = append(notes, "a failed bystander call: "+clip(r.live.sample, 160))
		}
		fmt.Fprintf(out, "- %s: %s\n", r.spec.name, strings.Join(notes, "; "))
	}
}

// answers lists the answer counts, largest first.
func answers(m map[string]int) string {
	keys := slices.Sorted(maps.Keys(m))
	slices.SortStableFunc(keys, func(a, b string) int { return m[b] - m[a] })
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d× %s", m[k], k)
	}
	return strings.Join(parts, ", ")
}

func recoveryText(d time.Duration) string {
	if d < 0 {
		return "not within " + recoveryLimit.String()
	}
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(100 * time.Millisecond).String()
}

// mib formats bytes as MiB without a unit, for the table.
func mib(n int64) string { return fmt.Sprintf("%.1f", float64(n)/(1<<20)) }

// clip shortens s to n bytes.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
