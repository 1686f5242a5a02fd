#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for the store tests and exports
# POLAR_MCP_TEST_POSTGRES_URL.
#
#   source .ci/postgres.sh          # exports the variable into this shell
#   eval "$(bash .ci/postgres.sh)"  # same, from a subshell
#   bash .ci/postgres.sh stop       # stops the server this shell started
#   bash .ci/postgres.sh stop --force  # stops it whoever started it
#
# Installs Debian's postgresql package when no server binaries exist. The
# cluster lives in a temp dir, listens on 127.0.0.1 only (port
# POLAR_MCP_PG_PORT, default 55432) with its socket in the same dir, trusts
# local connections and runs with fsync off: it is for tests only. Running
# it again reuses a server that is already up. Progress goes to stderr; when
# run (not sourced) stdout carries only the export line.

_pgsh_log() { echo "postgres.sh: $*" >&2; }

polar_mcp_pg() {
	local port="${POLAR_MCP_PG_PORT:-55432}"
	local dir="${TMPDIR:-/tmp}/polar-mcp-pg-${port}"
	local db="polar_mcp_test"
	local bin

	bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
	if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
		if [ "$(id -u)" != 0 ]; then
			_pgsh_log "PostgreSQL is not installed and this is not root: apt-get install postgresql"
			return 1
		fi
		_pgsh_log "installing postgresql from Debian packages"
		export DEBIAN_FRONTEND=noninteractive
		{ apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql; } >&2 || {
			_pgsh_log "apt-get install postgresql failed"
			return 1
		}
		bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
	fi

	# PostgreSQL refuses to run as root: run it as the postgres user then.
	if [ "$(id -u)" = 0 ]; then
		id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" postgres || return 1
		_pgsh_run() { runuser -u postgres -- "$@"; }
	else
		_pgsh_run() { "$@"; }
	fi

	if [ "${1:-}" = stop ]; then
		# Only the shell that started the server stops it: a run that
		# reused someone else's server leaves it to them.
		if [ "${POLAR_MCP_PG_STARTED:-}" != "$dir" ] && [ "${2:-}" != --force ]; then
			_pgsh_log "not started by this shell, leaving it running (stop --force stops it anyway)"
			return 0
		fi
		if [ -d "$dir/data" ]; then
			_pgsh_run "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || true
		fi
		rm -rf "$dir"
		return 0
	fi

	if ! _pgsh_run "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		rm -rf "$dir"
		mkdir -p "$dir" || return 1
		[ "$(id -u)" = 0 ] && chown postgres: "$dir"
		chmod 700 "$dir"
		_pgsh_log "initdb in $dir"
		_pgsh_run "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale --no-sync >"$dir/initdb.log" 2>&1 || {
			cat "$dir/initdb.log" >&2
			return 1
		}
		_pgsh_log "starting on 127.0.0.1:$port"
		_pgsh_run "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
			-o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >&2 || {
			cat "$dir/server.log" >&2
			return 1
		}
		export POLAR_MCP_PG_STARTED="$dir"
	else
		_pgsh_log "reusing the server in $dir"
	fi

	local exists
	exists="$(_pgsh_run "$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -tAc \
		"SELECT 1 FROM pg_database WHERE datname = '$db'")" || return 1
	if [ "$exists" != 1 ]; then
		_pgsh_run "$bin/createdb" -h "$dir" -p "$port" -U postgres "$db" || return 1
	fi

	export POLAR_MCP_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:${port}/${db}?sslmode=disable"
	_pgsh_log "POLAR_MCP_TEST_POSTGRES_URL=$POLAR_MCP_TEST_POSTGRES_URL"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	polar_mcp_pg "$@"
	if [ "${1:-}" != stop ]; then
		echo "export POLAR_MCP_TEST_POSTGRES_URL='$POLAR_MCP_TEST_POSTGRES_URL'"
		[ -z "${POLAR_MCP_PG_STARTED:-}" ] || echo "export POLAR_MCP_PG_STARTED='$POLAR_MCP_PG_STARTED'"
	fi
else
	polar_mcp_pg "$@"
	eval "unset -f _pgsh_log _pgsh_run polar_mcp_pg; return $?"
fi
