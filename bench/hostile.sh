#!/usr/bin/env bash
# The "Hostile traffic" figures of docs/BENCHMARKS.md (about 2 minutes: the
# Retry-After attack waits out the server's 120 s pause, beside the others).
# Run by hand from the repository root; not in CI. Every attack is on
# loopback, bounded in count and time, against a fresh `polar-mcp http`.
#
#   bench/hostile.sh [polar-mcp-bench hostile flags]
set -euo pipefail

. "$(dirname "$0")/common.sh"
echo "commit $(git rev-parse --short HEAD), $(go version), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$tmp/polar-mcp-bench" hostile --binary "$tmp/polar-mcp" "$@"
