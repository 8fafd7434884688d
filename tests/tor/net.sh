#!/usr/bin/env bash
# Inside the fresh network and PID namespaces made by tests/tor/run.sh (never run
# it directly): a private Tor network on 127.0.0.1, `tipline serve` behind the two
# onion services of docs/onion-service.md, and the tests through them.
#
# The network: three directory authorities, two relays, one onion-service process
# (the reporters' onion and the staff onion with client authorisation), and two
# clients: "visitor" (a reporter's Tor, no staff key) and "desk" (the staff
# workstation's Tor, with the key in its ClientOnionAuthDir).
#
# The namespace is new, so the ports the docs name (8080, 8443, 9050) are free.
set -euo pipefail

here="$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
repo="$(readlink -f "$here/../..")"
BIN="$TIPLINE_BIN"
DOC="$repo/docs/onion-service.md"
BENCH=0
if [ "${1:-}" = "--bench" ]; then
    BENCH="${2:-40}"
fi

t0=$(date +%s.%N)
elapsed() { awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
say() { printf '[tor %5ss] %s\n' "$(elapsed)" "$*"; }

D="${TOR_TEST_DIR:?run tests/tor/run.sh, not this script}"
# PID 1 of this namespace: when this script ends, the kernel kills everything left
# in it. The trap stops them first; run.sh removes the directory.
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ "$rc" -ne 0 ] && [ -z "${KEEP_TMP:-}" ]; then
        for f in "$D"/*/notice.log "$D"/serve.log; do
            [ -f "$f" ] && { echo "--- last lines of $f"; tail -n 8 "$f"; }
        done
    fi
    # A tor now and then logs "exiting cleanly" and hangs: five seconds, then KILL.
    local pids alive="" p
    pids=$(jobs -p)
    [ -z "$pids" ] || kill $pids 2>/dev/null || true
    for _ in $(seq 1 50); do
        alive=""
        for p in $pids; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
        [ -n "$alive" ] || break
        sleep 0.1
    done
    [ -z "$alive" ] || kill -KILL $alive 2>/dev/null || true
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Only loopback exists here; bring it up.
ip link set lo up
if [ "$(ip -o link | wc -l)" -ne 1 ]; then
    echo "tests/tor: the namespace has an interface besides lo; refusing to start tor" >&2
    exit 1
fi

# --------------------------------------------------------------------------------
# checks

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1${2:+: $2}"; }

# --------------------------------------------------------------------------------
# the network

: >"$D/empty"
export MALLOC_ARENA_MAX=1
AUTHS=3
VISITOR=9250
RELAYS=2

# Lines every torrc starts with: a private test network that cannot know any
# public Tor relay (its own authorities only, no fallback directories).
common() {
    local name="$1"
    cat <<EOF
TestingTorNetwork 1
DataDirectory $D/$name
Nickname $name
Log notice file $D/$name/notice.log
RunAsDaemon 0
ShutdownWaitLength 0
UseDefaultFallbackDirs 0
ClientUseIPv6 0
GeoIPFile $D/empty
GeoIPv6File $D/empty
SafeLogging 1
EOF
    cat "$D/dirauths"
}

relay() {
    local i="$1"
    cat <<EOF
Address 127.0.0.1
ORPort 127.0.0.1:$((5000 + i))
SocksPort 0
AssumeReachable 1
ExitRelay 0
ExitPolicy reject *:*
ContactInfo tipline test network
EOF
}

say "authority keys"
# One authority's keys: the v3 authority certificate, and the relay fingerprint
# printed from a throwaway loopback-only torrc. The three are made in parallel.
authority_keys() {
    local i="$1" n="auth$1"
    mkdir -p "$D/$n/keys"
    chmod 700 "$D/$n"
    (cd "$D/$n/keys" && echo "" | tor-gencert --create-identity-key -m 12 \
        -a "127.0.0.1:$((7000 + i))" --passphrase-fd 0 >/dev/null 2>&1)
    printf 'DataDirectory %s\nORPort 127.0.0.1:%s\nAddress 127.0.0.1\nSocksPort 0\nUseDefaultFallbackDirs 0\nDirAuthority dummy orport=1 no-v2 127.0.0.1:1 %s\n' \
        "$D/$n" "$((5000 + i))" "0000000000000000000000000000000000000000" >"$D/$n/fp.torrc"
    # (It also writes DataDirectory/fingerprint: "NICKNAME FINGERPRINT".)
    tor --defaults-torrc "$D/empty" -f "$D/$n/fp.torrc" --list-fingerprint --quiet >/dev/null 2>&1
}
for i in $(seq 0 $((AUTHS - 1))); do authority_keys "$i" & done
wait
: >"$D/dirauths"
for i in $(seq 0 $((AUTHS - 1))); do
    n="auth$i"
    fp=$(awk '{print $2}' "$D/$n/fingerprint")
    v3=$(awk '/^fingerprint /{print $2}' "$D/$n/keys/authority_certificate")
    [ -n "$fp" ] && [ -n "$v3" ] || { echo "tests/tor: no fingerprint for $n" >&2; exit 1; }
    echo "$fp" >>"$D/auth-fingerprints"
    echo "DirAuthority $n orport=$((5000 + i)) no-v2 v3ident=$v3 127.0.0.1:$((7000 + i)) $fp" >>"$D/dirauths"
done
ENTRY=$(paste -sd, "$D/auth-fingerprints")

for i in $(seq 0 $((AUTHS - 1))); do
    n="auth$i"
    {
        common "$n"
        relay "$i"
        cat <<EOF
DirPort 127.0.0.1:$((7000 + i))
AuthoritativeDirectory 1
V3AuthoritativeDirectory 1
TestingV3AuthInitialVotingInterval 5
TestingV3AuthInitialVoteDelay 2
TestingV3AuthInitialDistDelay 2
V3AuthVotingInterval 10
V3AuthVoteDelay 2
V3AuthDistDelay 2
V3AuthNIntervalsValid 2
TestingDirAuthVoteGuard *
TestingDirAuthVoteHSDir *
EOF
    } >"$D/$n/torrc"
done
for i in $(seq "$AUTHS" $((AUTHS + RELAYS - 1))); do
    n="relay$i"
    mkdir -p "$D/$n"
    chmod 700 "$D/$n"
    { common "$n"; relay "$i"; } >"$D/$n/torrc"
done

# The lines of a torrc block in docs/onion-service.md (the fenced block whose first
# line is the given comment), with /var/lib/tor/ moved into the test's directory:
# the test runs exactly what the docs tell operators.
doc_torrc() {
    awk -v mark="$1" '
        /^```/ { if (inblock) { inblock = 0; taking = 0 } else { inblock = 1; first = 1 }; next }
        inblock && first { first = 0; if (index($0, mark) == 1) { taking = 1; found = 1 }; next }
        inblock && taking && $0 !~ /^#/ && NF { print }
        END { if (!found) exit 1 }
    ' "$DOC" | sed "s#/var/lib/tor/#$D/#g"
}

# Onion services and clients use the authorities as guards (plain relays may not
# have every descriptor yet); vanguards-lite stays on, as for operators.
client() {
    cat <<EOF
EntryNodes $ENTRY
EOF
}

mkdir -p "$D/onion" "$D/visitor" "$D/desk"
chmod 700 "$D/onion" "$D/visitor" "$D/desk"
server_lines=$(doc_torrc "# torrc of the server")
desk_lines=$(doc_torrc "# torrc of the desk machine")
{ common onion; client; echo "SocksPort 0"; echo "$server_lines"; } >"$D/onion/torrc"
# ExtendedErrors: the SOCKS reply says why an onion failed (0xF4: no client key).
{ common visitor; client; echo "SocksPort 127.0.0.1:$VISITOR ExtendedErrors"; } >"$D/visitor/torrc"
# The desk machine's Tor: the docs' lines (SOCKS on 9050).
{ common desk; client; echo "$desk_lines"; } >"$D/desk/torrc"

# The staff onion's client key, made as docs/onion-service.md shows.
# The first onion service of the docs is the reporters', the second the staff's.
pub_dir=$(echo "$server_lines" | awk '/^HiddenServiceDir/ {print $2}' | sed -n 1p)
staff_dir=$(echo "$server_lines" | awk '/^HiddenServiceDir/ {print $2}' | sed -n 2p)
auth_dir=$(echo "$desk_lines" | awk '/^ClientOnionAuthDir/ {print $2}')
[ -n "$pub_dir" ] && [ -n "$staff_dir" ] && [ -n "$auth_dir" ] || { echo "tests/tor: docs torrc blocks not found" >&2; exit 1; }
mkdir -p "$staff_dir/authorized_clients" "$auth_dir"
chmod 700 "$staff_dir" "$auth_dir"
openssl genpkey -algorithm x25519 -out "$D/desk1.pem" 2>/dev/null
priv=$(openssl pkey -in "$D/desk1.pem" -outform DER | tail -c 32 | base32 | tr -d '=\n')
pub=$(openssl pkey -in "$D/desk1.pem" -pubout -outform DER | tail -c 32 | base32 | tr -d '=\n')
echo "descriptor:x25519:$pub" >"$staff_dir/authorized_clients/desk1.auth"

for n in auth0 auth1 auth2 relay3 relay4 onion visitor desk; do
    if ! out=$(tor --defaults-torrc "$D/empty" -f "$D/$n/torrc" --verify-config 2>&1); then
        echo "tests/tor: $n/torrc does not verify: $out" >&2
        exit 1
    fi
done

start_tor() {
    tor --defaults-torrc "$D/empty" -f "$D/$1/torrc" >/dev/null 2>&1 &
}

say "starting 3 authorities and 2 relays"
for n in auth0 auth1 auth2 relay3 relay4; do start_tor "$n"; done

# Until an authority's consensus lists every relay as Running, Valid, Guard and
# HSDir, clients would pin their vanguards to the few relays known early.
ready=0
deadline=$((SECONDS + 90))
while [ "$SECONDS" -lt "$deadline" ]; do
    if [ "$(curl -s --max-time 2 http://127.0.0.1:7000/tor/status-vote/current/consensus \
        | grep '^s ' | grep Running | grep Valid | grep Guard | grep -c HSDir || true)" -ge $((AUTHS + RELAYS)) ]; then
        ready=1
        break
    fi
    sleep 0.5
done
[ "$ready" = 1 ] || { echo "tests/tor: no full consensus within 90 s" >&2; exit 1; }
t_consensus=$(elapsed)
say "consensus lists all $((AUTHS + RELAYS)) relays"

start_tor onion
start_tor visitor
for _ in $(seq 1 100); do
    [ -s "$staff_dir/hostname" ] && [ -s "$pub_dir/hostname" ] && break
    sleep 0.1
done
PUB=$(cat "$pub_dir/hostname")
STAFF=$(cat "$staff_dir/hostname")
# The desk's Tor reads its client keys when it starts.
echo "${STAFF%.onion}:descriptor:x25519:$priv" >"$auth_dir/desk1.auth_private"
chmod 600 "$auth_dir/desk1.auth_private"
start_tor desk
t_onion_started=$(elapsed)

# --------------------------------------------------------------------------------
# tipline, as docs/onion-service.md runs it

export TIPLINE_IDENTITY="$D/centre.key"
mkdir -p "$D/keys"
"$BIN" keygen --out "$TIPLINE_IDENTITY" 2>/dev/null | tail -n1 >"$D/keys/centre.pub"
TIPLINE_TOKEN=$("$BIN" staff add desk1 --data "$D/data" 2>/dev/null | tail -n1)
export TIPLINE_TOKEN
"$BIN" serve --listen 127.0.0.1:8080 --data "$D/data" --keys "$D/keys" \
    --staff-listen 127.0.0.1:8443 --onion-location "http://$PUB" >"$D/serve.log" 2>&1 &
for _ in $(seq 1 100); do
    curl -s -o /dev/null --max-time 2 http://127.0.0.1:8080/ && break
    sleep 0.1
done
curl -s -o /dev/null --max-time 2 http://127.0.0.1:8080/ || { echo "tests/tor: tipline serve did not start" >&2; exit 1; }

# Through the reporters' Tor (no staff key).
ocurl() { curl -sS --max-time 60 --socks5-hostname "127.0.0.1:$VISITOR" "$@"; }
# Through the desk machine's Tor (with the staff key).
dcurl() { curl -sS --max-time 60 --socks5-hostname 127.0.0.1:9050 "$@"; }
PROXY=socks5h://127.0.0.1:9050

# The first fetches fail until the descriptor is published (SOCKS 0xF0): retry.
say "waiting for http://$PUB/ through Tor"
answered=0
deadline=$((SECONDS + 90))
while [ "$SECONDS" -lt "$deadline" ]; do
    if [ "$(ocurl -o /dev/null -w '%{http_code}' --max-time 10 "http://$PUB/" 2>/dev/null)" = 200 ]; then
        answered=1
        break
    fi
    sleep 1
done
t_answer=$(elapsed)
if [ "$answered" = 1 ]; then
    pass "the reporters' onion answers through a private Tor network (${t_answer} s after start, $(awk -v a="$t_answer" -v b="$t_onion_started" 'BEGIN { printf "%.1f", a - b }') s after the onion service started)"
else
    fail "the reporters' onion answers through a private Tor network" "no answer within 90 s"
    exit 1
fi

# --------------------------------------------------------------------------------
# the tests

element() { # HTML on stdin; the text of the element with id=$1
    tr '\n' ' ' | grep -o "id=\"$1\"[^>]*>[^<]*" | head -n1 | sed 's/^[^>]*>//; s/^ *//; s/ *$//'
}

test_report_with_attachment() {
    # 200 KiB of random bytes: hundreds of Tor cells, compared byte for byte later.
    { printf 'GIF89a'; head -c 204800 /dev/urandom; } >"$D/evidence.gif"
    ocurl -o "$D/receipt.html" -w '%{http_code}' \
        -F "message=Via Tor: de buurjongen moet elke nacht pakketjes rondbrengen" \
        -F "attachment=@$D/evidence.gif;type=image/gif" "http://$PUB/report" >"$D/status"
    CODE=$(element receipt-code <"$D/receipt.html")
    if [ "$(cat "$D/status")" = 200 ] && [[ "$CODE" =~ ^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$ ]]; then
        pass "a report with an attachment sent through the onion gets a receipt code"
    else
        fail "a report with an attachment sent through the onion gets a receipt code" "HTTP $(cat "$D/status"), code '$CODE'"
    fi
}

check_page() { # code -> the /check page, through the onion
    ocurl --data-urlencode "code=$1" --data lang=en "http://$PUB/check"
}

test_check() {
    local status
    status=$(check_page "$CODE" | element report-status)
    if [ -n "$status" ]; then
        pass "the receipt code opens /check through the onion (status: $status)"
    else
        fail "the receipt code opens /check through the onion"
    fi
}

test_headers_through_the_onion() {
    local h
    h=$(ocurl -D - -o /dev/null "http://$PUB/report" | tr -d '\r' | tr 'A-Z' 'a-z')
    if grep -q '^content-security-policy: ' <<<"$h" && grep -q '^referrer-policy: no-referrer$' <<<"$h" \
        && ! grep -q '^server: ' <<<"$h"; then
        pass "pages through the onion carry the security headers and no Server header"
    else
        fail "pages through the onion carry the security headers and no Server header" "$(tr '\n' ' ' <<<"$h")"
    fi
}

test_reporters_onion_has_no_staff_api() {
    local got
    got=$(ocurl -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TIPLINE_TOKEN" "http://$PUB/api/v1/reports")
    if [ "$got" = 404 ]; then
        pass "the reporters' onion does not serve the staff API"
    else
        fail "the reporters' onion does not serve the staff API" "HTTP $got"
    fi
}

test_onion_location() {
    local got
    got=$(curl -sS -D - -o /dev/null http://127.0.0.1:8080/report | tr -d '\r' | awk -F': ' 'tolower($1) == "onion-location" {print $2}')
    if [ "$got" = "http://$PUB/report" ]; then
        pass "the clearnet side names the onion in Onion-Location"
    else
        fail "the clearnet side names the onion in Onion-Location" "'$got'"
    fi
}

test_pow_enabled() {
    # A short test cannot see a puzzle solved (the suggested effort stays 0 without
    # a flood); it checks that both services ask for the defence and that this tor
    # has the module that provides it.
    if [ "$(grep -c '^HiddenServicePoWDefensesEnabled 1$' "$D/onion/torrc")" = 2 ] \
        && tor --list-modules | grep -qx 'pow: yes'; then
        pass "both onion services run with HiddenServicePoWDefensesEnabled 1 on a tor with the pow module"
    else
        fail "both onion services run with HiddenServicePoWDefensesEnabled 1 on a tor with the pow module"
    fi
}

test_staff_onion_with_key() {
    local got="" deadline=$((SECONDS + 60))
    while [ "$SECONDS" -lt "$deadline" ]; do
        got=$(dcurl -o /dev/null -w '%{http_code}' --max-time 10 -H "Authorization: Bearer $TIPLINE_TOKEN" \
            "http://$STAFF/api/v1/reports" 2>/dev/null || true)
        [ "$got" != 000 ] && [ -n "$got" ] && break
        sleep 1
    done
    if [ "$got" = 200 ]; then
        pass "the desk's Tor, holding the client key, reaches the staff onion"
    else
        fail "the desk's Tor, holding the client key, reaches the staff onion" "HTTP '$got'"
    fi
}

test_staff_onion_without_key() {
    # Tor answers 0xF4 (client authorisation missing) once it has the descriptor;
    # 0xF0 (descriptor not found yet) is retried.
    local err="" got="" deadline=$((SECONDS + 60))
    while [ "$SECONDS" -lt "$deadline" ]; do
        got=$(curl -sS --max-time 20 --socks5-hostname "127.0.0.1:$VISITOR" -o /dev/null -w '%{http_code}' \
            -H "Authorization: Bearer $TIPLINE_TOKEN" "http://$STAFF/api/v1/reports" 2>"$D/noauth.err" || true)
        err=$(cat "$D/noauth.err")
        [ "$got" = 200 ] && break
        grep -q '(244)' "$D/noauth.err" && break
        sleep 1
    done
    if [ "$got" != 200 ] && grep -q '(244)' "$D/noauth.err"; then
        pass "a Tor client without the key cannot reach the staff onion ($(tr -d '\n' <"$D/noauth.err"))"
    else
        fail "a Tor client without the key cannot reach the staff onion" "HTTP '$got', $err"
    fi
}

test_desk_through_tor() {
    local m="$D/mirror" id out reply
    if ! out=$("$BIN" desk pull --server "http://$STAFF" --proxy "$PROXY" --mirror "$m" --quiet 2>&1); then
        fail "desk pull --proxy socks5h fetches the report through the staff onion" "$out"
        return
    fi
    id=$("$BIN" desk list --mirror "$m" 2>&1 | grep -oE '\b[0-9a-f]{8,}\b' | head -n1 || true)
    out=$("$BIN" desk read "${id:-none}" --mirror "$m" --lang en 2>&1 || true)
    if [ -n "$id" ] && grep -q 'pakketjes rondbrengen' <<<"$out" && grep -q 'evidence.gif' <<<"$out"; then
        pass "desk pull --proxy socks5h fetches the report and its attachment through the staff onion, desk read shows them"
    else
        fail "desk pull --proxy socks5h fetches the report and its attachment through the staff onion, desk read shows them" "$out"
        return
    fi
    local att
    att=$(grep 'evidence.gif' <<<"$out" | awk '{print $1}' | head -n1)
    if "$BIN" desk save-attachment "$id" "${att:-none}" --mirror "$m" --out "$D/saved.gif" >/dev/null 2>&1 \
        && cmp -s "$D/evidence.gif" "$D/saved.gif"; then
        pass "the attachment sent through the onion decrypts at the desk to the same bytes"
    else
        fail "the attachment sent through the onion decrypts at the desk to the same bytes" "attachment '$att'"
    fi
    reply="We hebben je melding gelezen ($RANDOM)."
    if ! out=$(echo "$reply" | "$BIN" desk reply "$id" --mirror "$m" --file - 2>&1); then
        fail "desk reply queues a reply" "$out"
        return
    fi
    if ! out=$("$BIN" desk push --server "http://$STAFF" --proxy "$PROXY" --mirror "$m" 2>&1); then
        fail "desk push --proxy socks5h sends the reply through the staff onion" "$out"
        return
    fi
    pass "desk push --proxy socks5h sends the reply through the staff onion"
    if check_page "$CODE" | tr '\n' ' ' | grep -qF "$reply"; then
        pass "the reporter reads the reply on /check through the onion"
    else
        fail "the reporter reads the reply on /check through the onion"
    fi
}

test_browser() {
    if [ ! -d "$repo/tests/browser/node_modules/playwright-core" ]; then
        fail "Chromium with JavaScript off reports through the onion" "no tests/browser/node_modules (npm ci there)"
        return
    fi
    if ONION="http://$PUB" SOCKS_PORT="$VISITOR" node "$here/browser.mjs" >"$D/browser.out" 2>&1; then
        pass "Chromium with JavaScript off, through Tor's SOCKS port, reports on the onion, reaches the receipt and checks in with it ($(tail -n1 "$D/browser.out"))"
    else
        fail "Chromium with JavaScript off, through Tor's SOCKS port, reports on the onion, reaches the receipt and checks in with it" "$(tr '\n' ' ' <"$D/browser.out")"
    fi
}

run() { "$1"; say "$1 done"; }
run test_report_with_attachment
run test_check
run test_headers_through_the_onion
run test_reporters_onion_has_no_staff_api
run test_onion_location
run test_pow_enabled
run test_staff_onion_with_key
run test_staff_onion_without_key
run test_desk_through_tor
run test_browser

# --------------------------------------------------------------------------------
# --bench N: latency through the onion beside loopback, in the same run

percentile() { # p, then numbers on stdin (seconds) -> milliseconds
    sort -n | awk -v p="$1" '{ v[NR] = $1 } END { i = int(NR * p / 100 + 0.999); if (i < 1) i = 1; printf "%.0f", v[i] * 1000 }'
}

bench() {
    local n="$1" i
    : >"$D/get-onion"; : >"$D/get-lo"; : >"$D/post-onion"; : >"$D/post-lo"
    say "bench: $n requests of each kind, onion and loopback alternating"
    for i in $(seq 1 "$n"); do
        ocurl -o /dev/null -w '%{time_total}\n' "http://$PUB/report" >>"$D/get-onion"
        curl -sS -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:8080/report" >>"$D/get-lo"
        ocurl -o /dev/null -w '%{time_total}\n' -F "message=bench $i" "http://$PUB/report" >>"$D/post-onion"
        curl -sS -o /dev/null -w '%{time_total}\n' -F "message=bench $i" "http://127.0.0.1:8080/report" >>"$D/post-lo"
    done
    echo
    echo "| measure ($n requests each, one curl per request) | Tor onion p50 | p90 | loopback p50 | p90 |"
    echo "| --- | --- | --- | --- | --- |"
    for what in get post; do
        local label="GET /report"
        [ "$what" = post ] && label="POST /report (short message)"
        echo "| $label | $(percentile 50 <"$D/$what-onion") ms | $(percentile 90 <"$D/$what-onion") ms | $(percentile 50 <"$D/$what-lo") ms | $(percentile 90 <"$D/$what-lo") ms |"
    done
    echo
    echo "| start-up | seconds |"
    echo "| --- | --- |"
    echo "| keys, 3 authorities and 2 relays to a full consensus | $t_consensus |"
    echo "| onion service started to first answer through Tor | $(awk -v a="$t_answer" -v b="$t_onion_started" 'BEGIN { printf "%.1f", a - b }') |"
    echo "| script start to first answer through Tor | $t_answer |"
    echo
}

if [ "$BENCH" -gt 0 ] 2>/dev/null; then
    bench "$BENCH"
fi

echo "tests/tor: $passed passed, $failed failed"
[ "$failed" = 0 ]
