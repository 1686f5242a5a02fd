#!/usr/bin/env bash
# Starts a throwaway Redis for the fleet and webhooks tests and exports
# POLAR_MCP_TEST_REDIS_URL.
#
#   source .ci/redis.sh          # exports the variable into this shell
#   eval "$(bash .ci/redis.sh)"  # same, from a subshell
#   bash .ci/redis.sh stop       # stops the server this shell started
#   bash .ci/redis.sh stop --force  # stops it whoever started it
#
# Installs Debian's redis-server package when the binary is missing. The
# server listens on 127.0.0.1 only (port POLAR_MCP_REDIS_PORT, or the first
# free port from 56379), keeps nothing on disk (no RDB, no AOF) and lives
# in a temp dir: it is for tests only. Running it again reuses a server that
# is already up. Progress goes to stderr; when run (not sourced) stdout
# carries only the export lines.

_rdsh_log() { echo "redis.sh: $*" >&2; }

# _rdsh_up PORT: whether a Redis answers PING on 127.0.0.1:PORT.
_rdsh_up() { [ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = PONG ]; }

# _rdsh_free PORT: whether nothing listens on 127.0.0.1:PORT.
_rdsh_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

polar_mcp_redis() {
	local port="${POLAR_MCP_REDIS_PORT:-}"
	local dir

	if [ "${1:-}" = stop ]; then
		dir="${POLAR_MCP_REDIS_STARTED:-}"
		if [ -z "$dir" ] && [ "${2:-}" = --force ] && [ -n "$port" ]; then
			dir="${TMPDIR:-/tmp}/polar-mcp-redis-${port}"
		fi
		if [ -z "$dir" ]; then
			_rdsh_log "not started by this shell, leaving it running (stop --force with POLAR_MCP_REDIS_PORT stops it anyway)"
			return 0
		fi
		if [ -f "$dir/redis.pid" ]; then
			local pid i
			pid="$(cat "$dir/redis.pid")"
			kill "$pid" 2>/dev/null || true
			for i in $(seq 1 50); do
				kill -0 "$pid" 2>/dev/null || break
				sleep 0.1
			done
		fi
		rm -rf "$dir"
		return 0
	fi

	if ! command -v redis-server >/dev/null 2>&1; then
		if [ "$(id -u)" != 0 ]; then
			_rdsh_log "redis-server is not installed and this is not root: apt-get install redis-server"
			return 1
		fi
		_rdsh_log "installing redis-server from Debian packages"
		export DEBIAN_FRONTEND=noninteractive
		{ apt-get update -qq && apt-get install -y -qq --no-install-recommends redis-server; } >&2 || {
			_rdsh_log "apt-get install redis-server failed"
			return 1
		}
	fi

	if [ -z "$port" ]; then
		port=56379
		# Reuse our own server on the first port that has one; otherwise
		# take the first free port.
		while [ "$port" -lt 56479 ]; do
			if [ -f "${TMPDIR:-/tmp}/polar-mcp-redis-${port}/redis.pid" ] && _rdsh_up "$port"; then
				break
			fi
			_rdsh_free "$port" && break
			port=$((port + 1))
		done
	fi
	dir="${TMPDIR:-/tmp}/polar-mcp-redis-${port}"

	if [ -f "$dir/redis.pid" ] && _rdsh_up "$port"; then
		_rdsh_log "reusing the server on 127.0.0.1:$port"
	else
		if ! _rdsh_free "$port"; then
			_rdsh_log "port $port is taken by something else"
			return 1
		fi
		rm -rf "$dir"
		mkdir -p "$dir" || return 1
		chmod 700 "$dir"
		_rdsh_log "starting on 127.0.0.1:$port"
		redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" \
			--save '' --appendonly no --protected-mode yes \
			--daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/server.log" >&2 || {
			cat "$dir/server.log" >&2 2>/dev/null
			return 1
		}
		local i
		for i in $(seq 1 50); do
			_rdsh_up "$port" && break
			sleep 0.1
		done
		if ! _rdsh_up "$port"; then
			_rdsh_log "redis-server did not answer on 127.0.0.1:$port"
			cat "$dir/server.log" >&2 2>/dev/null
			return 1
		fi
		export POLAR_MCP_REDIS_STARTED="$dir"
	fi

	export POLAR_MCP_TEST_REDIS_URL="redis://127.0.0.1:${port}/0"
	_rdsh_log "POLAR_MCP_TEST_REDIS_URL=$POLAR_MCP_TEST_REDIS_URL"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	polar_mcp_redis "$@"
	if [ "${1:-}" != stop ]; then
		echo "export POLAR_MCP_TEST_REDIS_URL='$POLAR_MCP_TEST_REDIS_URL'"
		[ -z "${POLAR_MCP_REDIS_STARTED:-}" ] || echo "export POLAR_MCP_REDIS_STARTED='$POLAR_MCP_REDIS_STARTED'"
	fi
else
	polar_mcp_redis "$@"
	eval "unset -f _rdsh_log _rdsh_up _rdsh_free polar_mcp_redis; return $?"
fi
