package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"
)

// hostileOptions are the hostile subcommand's flags.
type hostileOptions struct {
	slowConns, streams, sessions, bigInits, flood int
	floodWaves                                    int
	slowHold, slowEvery                           time.Duration
	maxConns                                      int
	retryAfter                                    bool
	binary                                        string
	only                                          string
}

// hostileSpec is one attack and the server settings it runs against.
type hostileSpec struct {
	name, setting string
	env           []string
	attack        func(ctx context.Context, t *hostileTarget, b *bystander) (attackOutcome, error)
	selfTimed     bool // the attack measures its own recovery (Retry-After)
}

// Emails of the callers: the bystander is never the attacker.
const (
	attackerEmail  = "alice@example.com"
	bystanderEmail = "bob@example.com"
	bigInitEmail   = "carol@example.com"
	proberEmail    = "dave@example.com"
)

// runHostile runs each attack against a fresh spawned polar-mcp http and
// prints a table of what the server held and whether others were served.
func runHostile(ctx context.Context, args []string, out io.Writer) error {
	var o hostileOptions
	fs := flag.NewFlagSet("hostile", flag.ContinueOnError)
	fs.IntVar(&o.slowConns, "slow-conns", 300, "slow-body connections (attack 1)")
	fs.DurationVar(&o.slowHold, "slow-hold", 10*time.Second, "how long the slow bodies trickle")
	fs.DurationVar(&o.slowEvery, "slow-every", 3*time.Second, "one body byte per this")
	fs.IntVar(&o.maxConns, "max-connections", 100, "POLAR_MCP_MAX_CONNECTIONS of the capped runs")
	fs.IntVar(&o.streams, "streams", 3000, "SSE streams one token opens (attack 2)")
	fs.IntVar(&o.sessions, "sessions", 10_000, "sessions one token initializes (attack 3)")
	fs.IntVar(&o.bigInits, "big-inits", 300, "initialize requests with a 900 KB clientInfo (attack 3)")
	fs.IntVar(&o.flood, "flood", 500, "tool calls of the flood (attack 4)")
	fs.IntVar(&o.floodWaves, "flood-waves", 10, "the flood's calls come in this many waves, one a second")
	fs.BoolVar(&o.retryAfter, "retry-after", true, "run attack 5 (a 429 with Retry-After: 86400; ~2 minutes, beside the others)")
	fs.StringVar(&o.only, "only", "", "run only the attacks whose name starts with this (\"1\": the slow bodies)")
	fs.StringVar(&o.binary, "binary", "", "polar-mcp binary to spawn (default: go build ./cmd/polar-mcp)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.slowConns < 1 || o.slowConns > 2000 || o.streams < 1 || o.streams > 5000 || o.sessions < 1 || o.sessions > 20_000 ||
		o.bigInits < 0 || o.bigInits > 1000 || o.flood < 1 || o.flood > 5000 || o.floodWaves < 1 || o.floodWaves > 60 || o.slowHold > time.Minute {
		return errors.New("counts out of range: --slow-conns ≤ 2000, --streams ≤ 5000, --sessions ≤ 20000, --big-inits ≤ 1000, --flood ≤ 5000, --flood-waves ≤ 60, --slow-hold ≤ 1m")
	}
	if _, err := raiseFileLimit(uint64(o.streams + o.slowConns + 2048)); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 6*time.Minute) // the whole run, whatever happens
	defer cancel()
	dir, err := os.MkdirTemp("", "polar-mcp-hostile-bin-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	binary, err := binaryOrBuild(ctx, o.binary, dir)
	if err != nil {
		return err
	}
	start := time.Now()
	specs := hostileSpecs(o)
	if o.only != "" {
		specs = slices.DeleteFunc(specs, func(s hostileSpec) bool { return !strings.HasPrefix(s.name, o.only) })
		if len(specs) == 0 {
			return fmt.Errorf("no attack's name starts with %q", o.only)
		}
	}
	rows, err := runSpecs(ctx, binary, specs, o.retryAfter)
	printHostile(out, rows, time.Since(start))
	return err
}

// runSpecs runs the specs one after another, and the Retry-After one
// (the last spec when self-timed, about two minutes of waiting) beside
// them when slow, not at all otherwise.
func runSpecs(ctx context.Context, binary string, specs []hostileSpec, slow bool) ([]hostileRow, error) {
	last := specs[len(specs)-1]
	if last.selfTimed {
		specs = specs[:len(specs)-1]
	} else {
		slow = false
	}
	type result struct {
		row hostileRow
		err error
	}
	lastDone := make(chan result, 1)
	if slow {
		go func() { r, err := runSpec(ctx, binary, last); lastDone <- result{r, err} }()
	}
	var rows []hostileRow
	var errs []error
	for _, s := range specs {
		r, err := runSpec(ctx, binary, s)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", s.name, err))
			continue
		}
		rows = append(rows, r)
	}
	if slow {
		r := <-lastDone
		if r.err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", last.name, r.err))
		} else {
			rows = append(rows, r.row)
		}
	}
	return rows, errors.Join(errs...)
}

// hostileSpecs are the attacks, the Retry-After one last.
func hostileSpecs(o hostileOptions) []hostileSpec {
	capEnv := []string{fmt.Sprintf("POLAR_MCP_MAX_CONNECTIONS=%d", o.maxConns)}
	capName := fmt.Sprintf("MAX_CONNECTIONS=%d", o.maxConns)
	slow := func(withToken bool, routes []string) func(ctx context.Context, t *hostileTarget, b *bystander) (attackOutcome, error) {
		return func(ctx context.Context, t *hostileTarget, b *bystander) (attackOutcome, error) {
			token := ""
			if withToken {
				var err error
				if token, err = t.token(attackerEmail); err != nil {
					return attackOutcome{}, err
				}
			}
			hold := o.slowHold
			if withToken {
				hold += 8 * time.Second // three rounds of a 5 s body deadline through a cap
			}
			return slowBodies(ctx, hostOf(t.srv.URL), token, routes, o.slowConns, o.slowEvery, hold), nil
		}
	}
	withToken := func(email string, f func(ctx context.Context, t *hostileTarget, token string) attackOutcome) func(ctx context.Context, t *hostileTarget, b *bystander) (attackOutcome, error) {
		return func(ctx context.Context, t *hostileTarget, b *bystander) (attackOutcome, error) {
			token, err := t.token(email)
			if err != nil {
				return attackOutcome{}, err
			}
			return f(ctx, t, token), nil
		}
	}
	return []hostileSpec{
		{name: fmt.Sprintf("1a. %d slow bodies, no token", o.slowConns), setting: "defaults (no connection cap)", attack: slow(false, mcpRoute)},
		{name: fmt.Sprintf("1b. %d slow bodies, no token", o.slowConns), setting: capName, env: capEnv, attack: slow(false, mcpRoute)},
		{name: fmt.Sprintf("1c. %d slow bodies, valid token", o.slowConns), setting: capName + ", BODY_READ_TIMEOUT=5s",
			env: append(capEnv, "POLAR_MCP_BODY_READ_TIMEOUT=5s"), attack: slow(true, mcpRoute)},
		{name: fmt.Sprintf("1d. %d slow bodies, valid token", o.slowConns), setting: "defaults (no cap, BODY_READ_TIMEOUT=30s)", attack: slow(true, mcpRoute)},
		{name: fmt.Sprintf("1e. %d slow bodies on every other route, no token", o.slowConns), setting: capName + ", webhook secret set",
			env: append(slices.Clone(capEnv), "POLAR_MCP_WEBHOOK_SECRET=whsec_hostile_bench_secret_0123456789"), attack: slow(false, everyRoute)},
		{name: fmt.Sprintf("1f. %d slow bodies on every other route, valid token", o.slowConns), setting: capName + ", BODY_READ_TIMEOUT=5s, webhook secret set",
			env:    append(slices.Clone(capEnv), "POLAR_MCP_BODY_READ_TIMEOUT=5s", "POLAR_MCP_WEBHOOK_SECRET=whsec_hostile_bench_secret_0123456789"),
			attack: slow(true, everyRoute)},
		{name: fmt.Sprintf("2. %d SSE streams, one token", o.streams), setting: "defaults (10 streams per caller)",
			attack: withToken(attackerEmail, func(ctx context.Context, t *hostileTarget, token string) attackOutcome {
				return sseStreams(ctx, hostOf(t.srv.URL), token, o.streams, 100, 3*time.Second)
			})},
		{name: fmt.Sprintf("3a. %d sessions, one token", o.sessions), setting: "defaults (100 sessions per caller)",
			attack: withToken(attackerEmail, func(ctx context.Context, t *hostileTarget, token string) attackOutcome {
				return initializeMany(ctx, t.srv.URL, token, o.sessions, 32, 0)
			})},
		{name: fmt.Sprintf("3b. %d initialize, 900 KB clientInfo", o.bigInits), setting: "defaults (params ≤ 16 KiB)",
			attack: withToken(bigInitEmail, func(ctx context.Context, t *hostileTarget, token string) attackOutcome {
				return initializeMany(ctx, t.srv.URL, token, o.bigInits, 8, 900_000)
			})},
		{name: fmt.Sprintf("4. %d tool calls, one token", o.flood), setting: "defaults (60/min, burst 20)",
			attack: func(ctx context.Context, t *hostileTarget, b *bystander) (attackOutcome, error) {
				token, err := t.token(attackerEmail)
				if err != nil {
					return attackOutcome{}, err
				}
				return callFlood(ctx, t, token, o.flood, o.floodWaves, 10)
			}},
		{name: "6. Polar answers 302 to another port", setting: "defaults",
			attack: func(ctx context.Context, t *hostileTarget, b *bystander) (attackOutcome, error) {
				return redirectAway(ctx, t, b, 5), nil
			}},
		{name: "5. Polar answers one 429, Retry-After: 86400", setting: "defaults (pause cap 120 s, not configurable)", selfTimed: true,
			attack: func(ctx context.Context, t *hostileTarget, b *bystander) (attackOutcome, error) {
				token, err := t.token(proberEmail)
				if err != nil {
					return attackOutcome{}, err
				}
				prober, err := newBystander(ctx, t.srv.URL, token)
				if err != nil {
					return attackOutcome{}, err
				}
				defer prober.Close()
				return retryAfterDay(ctx, t, prober, 150*time.Second), nil
			}},
	}
}

// hostOf is the host:port of a URL.
func hostOf(raw string) string {
	u, _ := url.Parse(raw)
	return u.Host
}
