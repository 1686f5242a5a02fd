#!/usr/bin/env bash
# Interop check with the official TypeScript MCP SDK client (npm), over
# stdio, streamable HTTP and SSE, against polar-mcp on the demo organization.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/polar-mcp" ./cmd/polar-mcp
cp .ci/interop/package.json .ci/interop/check.mjs "$work/"
(cd "$work" && npm install --no-audit --no-fund --silent >/dev/null)
export POLAR_MCP_TOKEN_SECRET="$(head -c 48 /dev/urandom | base64)"
port=$((20000 + RANDOM % 20000))
"$work/polar-mcp" http --demo --listen "127.0.0.1:$port" 2>"$work/server.log" &
pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
customer=$("$work/polar-mcp" token --role customer --email bob@example.com --ttl 5m)
agent=$("$work/polar-mcp" token --role agent --ttl 5m)
# Members of the demo's team (Polar's member model), by email or by the
# team's and the member's external ids.
mint() { "$work/polar-mcp" token --role customer --ttl 5m "$@"; }
team=$(printf '{"owner":"%s","billing":"%s","claimed":"%s","pending":"%s","revoked":"%s","both":"%s"}' \
  "$(mint --email team@acme.example)" "$(mint --external-id org_acme --external-member-id usr_acme_omar)" \
  "$(mint --email ken@acme.example)" "$(mint --external-id org_acme --external-member-id usr_acme_lena)" \
  "$(mint --email max@acme.example)" "$(mint --email erin@example.com)")
node "$work/check.mjs" "$work/polar-mcp" "http://127.0.0.1:$port" "$customer" "$agent" "$team"
