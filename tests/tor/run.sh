#!/usr/bin/env bash
# tipline through a real, private Tor network (issue 18).
#
#   tests/tor/run.sh            the tests (part of scripts/test)
#   tests/tor/run.sh --bench N  the tests, then N timed requests each way (BENCHMARKS.md)
#
# Builds nothing: target/debug/tipline (or TIPLINE_BIN) must exist, and the
# browser test needs tests/browser/node_modules (scripts/test installs both).
#
# Safety (../shared/TOR-TESTNET.md): everything runs inside a fresh network
# namespace that has only loopback (`unshare --net`), so nothing can reach the
# public Tor network; and inside a fresh PID namespace whose first process is
# tests/tor/net.sh: when it ends, however it ends, the kernel kills every tor,
# server and browser it started (`--kill-child` covers this script being killed).
#
# When `unshare` is not permitted (no root, a container without CAP_SYS_ADMIN),
# the test is skipped with one loud line; on CI's machines it runs.
set -euo pipefail

here="$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
repo="$(readlink -f "$here/../..")"

if ! command -v tor >/dev/null 2>&1 || ! command -v tor-gencert >/dev/null 2>&1; then
    echo "tests/tor: tor is not installed (apt-get install --no-install-recommends tor)" >&2
    exit 1
fi
export TIPLINE_BIN="${TIPLINE_BIN:-$repo/target/debug/tipline}"
if [ ! -x "$TIPLINE_BIN" ]; then
    echo "tests/tor: no $TIPLINE_BIN (cargo build first: the namespace has no network)" >&2
    exit 1
fi

if ! unshare --net --pid --fork --kill-child --mount-proc true 2>/dev/null; then
    echo "!!!!! SKIPPED tests/tor: unshare --net --pid is not permitted here, so the private Tor network cannot run (run as root) !!!!!" >&2
    exit 0
fi

exec unshare --net --pid --fork --kill-child --mount-proc \
    bash "$here/net.sh" "$@"
