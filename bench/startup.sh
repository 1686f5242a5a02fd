#!/usr/bin/env bash
# Start-up of polar-mcp at one or more commits, side by side: the wall time
# from spawning `polar-mcp stdio` to its initialize response, against the
# fake Polar API on loopback. Run by hand from the repository root; not in CI.
#
#   bench/startup.sh [REV...] [-- polar-mcp-bench spawn flags...]
#   e.g. bench/startup.sh aed01fb HEAD -- --runs 30 --rounds 3
#
# Each commit is built as the release binaries and the image are (static,
# without cgo, -trimpath -ldflags "-s -w"), then copied: the same bytes start
# about 1 ms slower from the file `go build` has just written than from a
# copy of it (docs/BENCHMARKS.md, section 4), which would favour the binary
# built first.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'git -C "$root" worktree prune; rm -rf "$tmp"' EXIT

revs=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do revs+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
[ ${#revs[@]} -gt 0 ] || revs=(HEAD)

cd "$root"
bins=()
for rev in "${revs[@]}"; do
	short=$(git rev-parse --short "$rev")
	git worktree add -q --detach "$tmp/src-$short" "$rev"
	(cd "$tmp/src-$short" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$tmp/built-$short" ./cmd/polar-mcp)
	cp "$tmp/built-$short" "$tmp/polar-mcp-$short"
	git worktree remove --force "$tmp/src-$short"
	bins+=("$tmp/polar-mcp-$short")
done
go build -o "$tmp/polar-mcp-bench" ./cmd/polar-mcp-bench
echo "$(go version), load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$tmp/polar-mcp-bench" spawn "$@" "${bins[@]}"
