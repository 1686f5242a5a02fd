package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// fleetOptions are the fleet subcommand's flags.
type fleetOptions struct {
	mode       string
	cache      string
	rate       float64
	duration   time.Duration
	polarLimit int
	redisURL   string
	redisDB    int
	binary     string
	seed       uint64
	zipfS      float64
	mix        string
	customers  int
}

// fleetMix is a billing chatbot's questions: status most, then orders,
// benefits, the portal and products; agents' visitor insights a little.
const fleetMix = "subscription=40,orders=20,benefits=15,portal=10,products=10,insights=5"

func parseFleetFlags(args []string) (fleetOptions, error) {
	var o fleetOptions
	fs := flag.NewFlagSet("fleet", flag.ContinueOnError)
	fs.StringVar(&o.mode, "mode", "replicas", "replicas: one instance, then three with Redis, same load; zipf: a Zipf workload per cache setting")
	fs.StringVar(&o.cache, "cache", "all", "zipf mode: none, default, webhooks or all")
	fs.Float64Var(&o.rate, "rate", 0, "questions asked per second, open loop (default 10 replicas, 25 zipf)")
	fs.DurationVar(&o.duration, "duration", 0, "length of each run (default 150s replicas, 120s zipf; at most 5m)")
	fs.IntVar(&o.polarLimit, "polar-limit", 500, "requests per minute the fake Polar allows (429 beyond) and POLAR_MCP_RATE_LIMIT")
	fs.StringVar(&o.redisURL, "redis", os.Getenv("POLAR_MCP_TEST_REDIS_URL"), "Redis of the three instances (default $POLAR_MCP_TEST_REDIS_URL; source .ci/redis.sh)")
	fs.IntVar(&o.redisDB, "redis-db", 9, "Redis database the runs use (its polar-mcp: keys are deleted first)")
	fs.StringVar(&o.binary, "binary", "", "polar-mcp binary to spawn (default: go build ./cmd/polar-mcp)")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the question draws")
	fs.Float64Var(&o.zipfS, "zipf-s", 1.2, "zipf mode: exponent of the customer draw (> 1; larger: fewer customers ask more)")
	fs.StringVar(&o.mix, "mix", fleetMix, "tool mix by weight, as in load --mix")
	fs.IntVar(&o.customers, "customers", len(fleetEmails()), "customers asking (20: the demo organization's and one more; beyond, the fake grows the organization with customer-<i>@bench.example, each subscribed)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	defRate, defDur := 10.0, 150*time.Second
	if o.mode == "zipf" {
		defRate, defDur = 25, 120*time.Second
	}
	if o.rate == 0 {
		o.rate = defRate
	}
	if o.duration == 0 {
		o.duration = defDur
	}
	switch {
	case o.mode != "replicas" && o.mode != "zipf":
		return o, errors.New("--mode must be replicas or zipf")
	case o.rate <= 0 || o.rate > 200:
		return o, errors.New("--rate must be in (0, 200] questions per second")
	case o.duration < 10*time.Second || o.duration > 5*time.Minute:
		return o, errors.New("--duration must be between 10s and 5m")
	case o.polarLimit < 10:
		return o, errors.New("--polar-limit must be at least 10")
	case o.zipfS <= 1:
		return o, errors.New("--zipf-s must be above 1")
	case o.mode == "replicas" && o.redisURL == "":
		return o, errors.New("replicas mode needs a Redis: source .ci/redis.sh (POLAR_MCP_TEST_REDIS_URL) or --redis")
	case o.customers < len(fleetEmails()) || o.customers > maxCustomers:
		return o, fmt.Errorf("--customers must be between %d and %d", len(fleetEmails()), maxCustomers)
	case o.redisDB < 0 || o.redisDB > 15:
		return o, errors.New("--redis-db must be 0..15")
	}
	return o, nil
}

// fleetPhase is one run: instances on one fake Polar.
type fleetPhase struct {
	name      string
	instances int
	redis     bool
	webhooks  bool
	env       []string
}

func fleetPhases(o fleetOptions) ([]fleetPhase, error) {
	if o.mode == "replicas" {
		return []fleetPhase{
			{name: "one instance", instances: 1},
			{name: "three instances + Redis", instances: 3, redis: true, env: []string{"POLAR_MCP_EXPECTED_INSTANCES=3"}},
		}, nil
	}
	all := map[string]fleetPhase{
		// The configuration refuses negative TTLs (which would disable a
		// cache); 1ns keeps nothing. Identical calls in flight are still
		// coalesced, as with a billing TTL of 0.
		"none": {name: "(a) no cache", instances: 1,
			env: []string{"POLAR_MCP_CACHE_CUSTOMER_TTL=1ns", "POLAR_MCP_CACHE_CATALOG_TTL=1ns", "POLAR_MCP_CACHE_BILLING_TTL=0s"}},
		"default":  {name: "(b) default caches", instances: 1},
		"webhooks": {name: "(c) webhooks, billing TTL 10m", instances: 1, webhooks: true, env: []string{"POLAR_MCP_CACHE_BILLING_TTL=10m"}},
	}
	if o.cache == "all" {
		return []fleetPhase{all["none"], all["default"], all["webhooks"]}, nil
	}
	p, ok := all[o.cache]
	if !ok {
		return nil, errors.New("--cache must be none, default, webhooks or all")
	}
	return []fleetPhase{p}, nil
}

// runFleet measures many instances on one Polar budget, or a Zipf
// workload per cache setting.
func runFleet(ctx context.Context, args []string, out io.Writer) error {
	o, err := parseFleetFlags(args)
	if err != nil {
		return err
	}
	m, err := parseMix(o.mix)
	if err != nil {
		return err
	}
	phases, err := fleetPhases(o)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "polar-mcp-bench-fleet-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	binary, err := binaryOrBuild(ctx, o.binary, dir)
	if err != nil {
		return err
	}
	var reps []phaseReport
	for i, p := range phases {
		rep, err := runFleetPhase(ctx, o, m, binary, filepath.Join(dir, fmt.Sprint(i)), p)
		if err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
		rep.print(out, o)
		reps = append(reps, rep)
	}
	printFleetTable(out, o, reps)
	return nil
}

// runFleetPhase starts a fresh fake and the phase's instances, asks
// questions for o.duration and reports.
func runFleetPhase(ctx context.Context, o fleetOptions, m mix, binary, dir string, p fleetPhase) (phaseReport, error) {
	rep := phaseReport{phase: p}
	secret := ""
	if p.webhooks {
		secret = randomHex(24)
	}
	relay := &hookRelay{hc: &http.Client{Timeout: 5 * time.Second}}
	up, err := startFleetUpstream(o.polarLimit, secret, relay, o.customers)
	if err != nil {
		return rep, err
	}
	defer up.Close()
	env := append([]string{
		fmt.Sprintf("POLAR_MCP_RATE_LIMIT=%d", o.polarLimit),
		// Per-caller limits far above the load: the Polar budget is measured.
		"POLAR_MCP_CALLS_PER_MINUTE=100000", "POLAR_MCP_CALL_BURST=10000", "POLAR_MCP_MAX_STREAMS_PER_CALLER=1000",
	}, p.env...)
	if secret != "" {
		env = append(env, "POLAR_MCP_WEBHOOK_SECRET="+secret)
	}
	if p.redis {
		rurl, err := clearRedis(ctx, o.redisURL, o.redisDB)
		if err != nil {
			return rep, err
		}
		env = append(env, "POLAR_MCP_REDIS_URL="+rurl)
	}
	var servers []*httpServer
	defer func() {
		for _, s := range servers {
			s.Stop()
		}
	}()
	for i := range p.instances {
		sub := filepath.Join(dir, fmt.Sprint(i))
		if err := os.MkdirAll(sub, 0o700); err != nil {
			return rep, err
		}
		s, err := startHTTPServer(ctx, binary, sub, up.URL, env)
		if err != nil {
			return rep, err
		}
		servers = append(servers, s)
	}
	if err := pointRelay(relay, servers[0].URL); err != nil {
		return rep, err
	}
	ch, closeAll, err := fleetSessions(ctx, servers, m, o, up.emails)
	defer closeAll()
	if err != nil {
		return rep, err
	}
	w, err := newWatcher(ctx, servers[0], up)
	if err != nil {
		return rep, err
	}
	rep.loadBefore = loadAverage()
	mctx, stopMutating := context.WithCancel(ctx)
	mutated := make(chan int, 1)
	w.start = time.Now()
	go func() { mutated <- mutate(mctx, up, w) }()
	upBefore, thrBefore := up.Requests(), up.Throttled()
	rep.before = requestPaths(up.fake.Requests())
	rep.res = driveOpen(ctx, ch, o.rate, o.duration)
	rep.loadAfter = loadAverage()
	stopMutating()
	rep.mutations = <-mutated
	rep.visible = w.results()
	rep.watchBusy = w.lastBusy()
	rep.upstream, rep.throttled = up.Requests()-upBefore, up.Throttled()-thrBefore
	rep.during = requestPaths(up.fake.Requests())
	for path, n := range rep.before {
		rep.during[path] -= n
	}
	rep.busiest = busiestMinute(sortedTimes(up.Times()))
	for _, d := range up.fake.WebhookDeliveries() {
		if d.Delivered {
			rep.delivered++
		}
	}
	return rep, nil
}
