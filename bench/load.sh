#!/usr/bin/env bash
# Every load and memory figure of docs/BENCHMARKS.md, in one run (about 20
# minutes). Run by hand from the repository root; not in CI. Each scenario
# starts the fake Polar API in the bench process and spawns a fresh
# `polar-mcp http` on loopback.
#
#   bench/load.sh            all scenarios
#   bench/load.sh quick      throughput and memory only (about 3 minutes)
set -euo pipefail

. "$(dirname "$0")/common.sh"

# The throughput runs lift the server's Polar budget (500 requests/minute by
# default) so that they measure the server, not Polar's rate limit.
unlimited=(--server-env POLAR_MCP_RATE_LIMIT=100000000)

run() {
	echo
	echo "### polar-mcp-bench $*"
	echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
	"$tmp/polar-mcp-bench" "$@" --binary "$tmp/polar-mcp"
}

echo "commit $(git rev-parse --short HEAD), $(go version), $(nproc) cores"
run load --transport http --clients 32 --duration 20s --latency 0 "${unlimited[@]}"
run load --transport sse --clients 32 --duration 20s --latency 0 "${unlimited[@]}"
run load --transport http --clients 32 --calls 10000 --latency 0 "${unlimited[@]}"
run sessions --count 1000 --hold 10s
run sessions --count 10000 --hold 10s
run sessions --count 10000 --hold 10s --server-env GOMEMLIMIT=400MiB
run sessions --count 10000 --hold 10s --transport http
[[ "${1:-}" == quick ]] && exit 0

run load --transport http --clients 32 --duration 20s --latency 0 --mix products=1 "${unlimited[@]}"
run load --transport http --clients 32 --duration 20s --latency 0 --protocol 2026-07-28 "${unlimited[@]}"
run load --transport http --clients 32 --duration 20s --latency 0 "${unlimited[@]}" --server-env POLAR_MCP_CACHE_BILLING_TTL=5s
run load --transport http --clients 32 --duration 20s --latency 50ms "${unlimited[@]}"
run load --transport sse --clients 32 --duration 20s --latency 50ms "${unlimited[@]}"
run load --transport http --clients 256 --duration 20s --latency 50ms "${unlimited[@]}"
run load --transport sse --clients 256 --duration 20s --latency 50ms "${unlimited[@]}"

# The rate limiter: the fake answers 429 beyond its limit.
# 1. Polar's production limit, server defaults (budget 500 less 10% headroom).
run load --transport http --clients 16 --duration 150s --rate-limit 500
# 2. A sandbox-sized limit the server is told about.
run load --transport http --clients 16 --duration 150s --rate-limit 100 --server-env POLAR_MCP_RATE_LIMIT=100
# 3. Polar allows less than the server believes (another integration spends
#    the budget): 429s happen; none may reach a user.
run load --transport http --clients 16 --duration 150s --rate-limit 300
