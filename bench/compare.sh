#!/usr/bin/env bash
# Side-by-side comparison of polar-mcp with Polar's own MCP server
# (@polar-sh/sdk 0.36.2, bin/mcp-server.js), both over stdio against the same
# fake Polar API on loopback. Run by hand from the repository root; not in CI.
# Needs Go, Node 20+ and npm (it installs the SDK into a temporary directory).
#
#   bench/compare.sh [polar-mcp-bench compare flags...]
#   e.g. bench/compare.sh --latency 50ms
set -euo pipefail

SDK_VERSION=0.36.2
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "installing @polar-sh/sdk@$SDK_VERSION into $tmp" >&2
(cd "$tmp" && npm install --silent --no-audit --no-fund "@polar-sh/sdk@$SDK_VERSION" >&2)
bin=$(node -e 'const p=require(process.argv[1]); console.log(typeof p.bin === "string" ? p.bin : Object.values(p.bin)[0])' \
	"$tmp/node_modules/@polar-sh/sdk/package.json")
peer="$tmp/node_modules/@polar-sh/sdk/$bin"

cd "$root"
# Built as the release binaries and the image are (.goreleaser.yaml, Dockerfile): static,
# without cgo. A default `go build` with a C toolchain links the system's libc dynamically,
# which adds the dynamic loader to every start.
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$tmp/polar-mcp" ./cmd/polar-mcp
go build -o "$tmp/polar-mcp-bench" ./cmd/polar-mcp-bench
echo "commit $(git rev-parse --short HEAD), node $(node --version), $(go version)" >&2
"$tmp/polar-mcp-bench" compare --peer "$peer" --binary "$tmp/polar-mcp" "$@"
