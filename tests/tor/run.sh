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
# Without root it uses a user namespace. When neither is permitted (a container
# without CAP_SYS_ADMIN, user namespaces off), the test is skipped with one loud
# line; on CI's machines (root) it runs.
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

# A fresh network namespace (only loopback) and PID namespace; without root, inside
# a user namespace where this user is root (where the kernel allows that).
NS=(unshare --net --pid --fork --kill-child --mount-proc)
if ! "${NS[@]}" true 2>/dev/null; then
    NS=(unshare --user --map-root-user --net --pid --fork --kill-child --mount-proc)
    if ! "${NS[@]}" true 2>/dev/null; then
        echo "!!!!! SKIPPED tests/tor: unshare --net --pid is not permitted here (not root, no user namespaces), so the private Tor network cannot run !!!!!" >&2
        exit 0
    fi
fi

# The network's directory, made here so that, after the namespace is gone, this
# script can check that nothing started in it still runs.
TOR_TEST_DIR="$(mktemp -d /tmp/tipline-tor.XXXXXX)"
export TOR_TEST_DIR
rc=0
"${NS[@]}" bash "$here/net.sh" "$@" &
ns=$!
# Interrupted or killed (Ctrl-C, CI's timeout): KILL unshare (with --fork it
# ignores TERM), whose --kill-child ends the namespace's first process, and with
# it every process in the namespace.
trap 'rc=130; kill -KILL "$ns" 2>/dev/null || true' INT TERM HUP
while kill -0 "$ns" 2>/dev/null; do
    wait "$ns" || { r=$?; [ "$rc" -ne 0 ] || rc=$r; }
done
trap - INT TERM HUP
# (After a KILL the kernel may take a moment to end the namespace's processes.)
for _ in $(seq 1 50); do
    pgrep -f -- "$TOR_TEST_DIR/" >/dev/null || break
    sleep 0.1
done
if pgrep -f -- "$TOR_TEST_DIR/" >/dev/null; then
    echo "FAIL no process of the Tor test network outlives it: $(pgrep -af -- "$TOR_TEST_DIR/" | head -n3)" >&2
    pgrep -f -- "$TOR_TEST_DIR/" | xargs -r kill -KILL || true
    rc=1
else
    echo "ok   no process of the Tor test network outlives it"
fi
if [ -z "${KEEP_TMP:-}" ]; then rm -rf "$TOR_TEST_DIR"; else echo "kept $TOR_TEST_DIR"; fi
exit "$rc"
