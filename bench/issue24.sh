#!/usr/bin/env bash
# Issue 24's table in docs/BENCHMARKS.md: one instance, no Redis, the
# default fleet mix, Zipf (s = 1.2) over 20 and over 2,000 customers, at
# 7,200 and 10,000 questions a minute, with webhooks (billing TTL 10m)
# and without (default caches), 60 s each: 8 runs, about 15 minutes. Each
# run starts a fresh fake Polar API (500 requests/min, 429 beyond) and a
# fresh `polar-mcp http`. Run by hand from the repository root; not in CI.
# The machine may be shared: each row carries the 1-minute load average
# at the start and end of its run.
#
#   bench/issue24.sh                 the 8 runs; the rows are printed last
#   bench/issue24.sh 20 120 webhooks one run (customers, questions/s, cache)
set -euo pipefail

. "$(dirname "$0")/common.sh"

run() { # customers, questions per second, cache (webhooks or default)
	echo
	echo "### polar-mcp-bench fleet --mode zipf --cache $3 --rate $2 --duration 60s --customers $1"
	"$tmp/polar-mcp-bench" fleet --binary "$tmp/polar-mcp" --mode zipf --cache "$3" \
		--rate "$2" --duration 60s --customers "$1" | tee "$tmp/out"
	grep '^| (' "$tmp/out" >>"$tmp/rows"
}

echo "commit $(git rev-parse --short HEAD), $(go version), $(nproc) cores"
if [[ $# -eq 3 ]]; then
	run "$1" "$2" "$3"
else
	for customers in 20 2000; do
		for rate in 120 166.667; do
			for cache in webhooks default; do
				run "$customers" "$rate" "$cache"
			done
		done
	done
fi
echo
echo "| run | customers | questions/min | instances | asked | answered/min | busy | other errors | upstream/min | upstream/answer | busiest 60 s (≤ 450) | 429s | change visible after | load avg |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
cat "$tmp/rows"
