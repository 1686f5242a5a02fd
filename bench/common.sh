# Sourced by bench/load.sh, bench/hostile.sh and bench/issue24.sh: sets
# root (the repository, also the working directory) and tmp (removed at
# exit), builds polar-mcp and polar-mcp-bench into tmp, and raises the
# open-file limit to its hard limit for the many connections they open.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root"
go build -o "$tmp/polar-mcp" ./cmd/polar-mcp
go build -o "$tmp/polar-mcp-bench" ./cmd/polar-mcp-bench
ulimit -n "$(ulimit -Hn)"
