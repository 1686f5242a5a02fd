#!/usr/bin/env bash
# Makes Debian's Chromium available to the browser tests (internal/panel/) and
# exports POLAR_MCP_TEST_CHROMIUM with its path.
#
#   source .ci/chromium.sh              # exports the variable into this shell
#   eval "$(bash .ci/chromium.sh)"      # same, from a subshell
#
# Installs the `chromium` package when no binary is found (apt-get update
# once first). Without Chromium the browser tests skip with a message; they
# start it themselves, headless, with --no-sandbox --disable-gpu
# --disable-background-networking --disable-component-update --disable-sync
# --no-first-run and a fresh user-data-dir (needed on a closed network).
# Progress goes to stderr; when run (not sourced) stdout carries only the
# export line.

_chromiumsh_log() { echo "chromium.sh: $*" >&2; }

polar_mcp_chromium() {
	local bin="${POLAR_MCP_TEST_CHROMIUM:-}"
	if [ -n "$bin" ] && [ -x "$bin" ]; then
		echo "$bin"
		return 0
	fi
	bin="$(command -v chromium || command -v chromium-browser || true)"
	if [ -z "$bin" ]; then
		if [ "$(id -u)" != 0 ]; then
			_chromiumsh_log "Chromium is not installed and this is not root: apt-get install chromium"
			return 1
		fi
		_chromiumsh_log "installing chromium from Debian packages"
		export DEBIAN_FRONTEND=noninteractive
		{ apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; } >&2 || {
			_chromiumsh_log "apt-get install chromium failed"
			return 1
		}
		bin="$(command -v chromium || true)"
	fi
	if [ -z "$bin" ] || [ ! -x "$bin" ]; then
		_chromiumsh_log "no chromium binary after install"
		return 1
	fi
	_chromiumsh_log "using $bin ($("$bin" --version 2>/dev/null | tail -n 1))"
	echo "$bin"
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
	# Sourced: export into the caller's shell, never exit it.
	if _polar_mcp_chromium_bin="$(polar_mcp_chromium)"; then
		export POLAR_MCP_TEST_CHROMIUM="$_polar_mcp_chromium_bin"
	else
		_chromiumsh_log "browser tests will skip"
	fi
	unset _polar_mcp_chromium_bin
else
	set -euo pipefail
	bin="$(polar_mcp_chromium)"
	printf 'export POLAR_MCP_TEST_CHROMIUM=%q\n' "$bin"
fi
