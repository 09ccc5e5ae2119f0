#!/usr/bin/env bash
# The README's "First steps", exactly as written, on a machine like CI's: ./run in one "terminal", the
# second terminal's block in another, then the call must ring alice's agent app through the stand-in.
# Only the ports (8080, 8090 → free ones), var/ (→ a temporary folder) and build/release (→ the build
# under test) are replaced, so the steps never touch a developer's running server or data. Without a
# sound card, ./run is started the way the README says for such a machine.
#
# Usage: tests/first-steps.sh BUILD_DIR
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build_dir="$(cd "$1" && pwd)"
readme="$root/README.md"
work="$(mktemp -d)"
run_pid=
server_port=
cleanup() {
    # The apps the second block left running name the server's address; ./run is a process group.
    [[ -n $server_port ]] && pkill -TERM -f -- "--server http://127.0.0.1:$server_port" 2>/dev/null
    [[ -n $run_pid ]] && kill -TERM -- "-$run_pid" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
die() {
    printf 'FAIL: %s\n' "$*" >&2
    for log in "$work"/*.log "$work"/var/*.log; do
        [[ -f $log ]] || continue
        printf -- '--- %s\n' "${log##*/}" >&2
        tail -n 20 "$log" >&2
    done
    exit 1
}

# The section, and its two sh blocks.
section="$(awk '/^## First steps/{on=1; next} /^## /{on=0} on' "$readme")"
[[ -n $section ]] || die "README.md has no \"## First steps\" section"
blocks="$(awk '/^```sh$/{n++; inside=1; next} /^```$/{inside=0; next} inside{print n "\t" $0}' <<<"$section")"
first="$(awk -F'\t' '$1==1{print $2}' <<<"$blocks")"
second="$(awk -F'\t' '$1==2{print $2}' <<<"$blocks")"
[[ $first == "./run" ]] || die "the first block should be ./run, it is: $first"
no_sound_run='FEATURE_DEVICE_CONNECTIVITY=false ./run'
grep -qF "\`$no_sound_run\`" <<<"$section" || die "the section no longer says how to run without a sound card"

# A port nothing listens on, below the kernel's ephemeral range so no client socket takes it meanwhile.
free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 12000))
        [[ $port != "${1:-}" ]] || continue
        # shellcheck disable=SC2016 # the inner shell's $0
        timeout 1 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0"' "$port" 2>/dev/null || break
    done
    printf '%s\n' "$port"
}
server_port=$(free_port)
sim_port=$(free_port "$server_port")
for literal in 127.0.0.1:8080 127.0.0.1:8090 var/heartline.db B=build/release; do
    grep -qF "$literal" <<<"$second" || die "the second block no longer has $literal (update this test with it)"
done
second="${second//127.0.0.1:8080/127.0.0.1:$server_port}"
second="${second//127.0.0.1:8090/127.0.0.1:$sim_port}"
second="${second//var\/heartline.db/$work/var/heartline.db}"
second="${second//B=build\/release/B=$build_dir}"

export QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$work/config" PASSWORD_ITERATIONS=1000
export LISTEN_ADDRESS="127.0.0.1:$server_port" SIM_LISTEN_ADDRESS="127.0.0.1:$sim_port"
export HEARTLINE_VAR_DIR="$work/var" HEARTLINE_BUILD_DIR="$build_dir"
start="./run"
if [[ ! -s /proc/asound/cards ]] || grep -q 'no soundcards' /proc/asound/cards; then
    start="$no_sound_run"
fi

# Terminal 1 (its own process group, stopped as a whole at the end).
(cd "$root" && exec setsid bash -c "$start" >"$work/run.log" 2>&1) &
run_pid=$!
for ((i = 0; i < 600; i++)); do
    grep -q '^heartline-server .*listening on ' "$work/run.log" 2>/dev/null && break
    kill -0 "$run_pid" 2>/dev/null || die "./run ended before the server listened"
    sleep 0.2
done
grep -q '^heartline-server .*listening on ' "$work/run.log" || die "the server did not start within 120 s"

# Terminal 2.
(cd "$root" && bash -e -c "$second") >"$work/steps.log" 2>&1 || die "the second block failed"

# The call rings the agent app: the stand-in's leg to client:alice is ringing, and the app says so.
sim="$build_dir/tools/twilio-sim/heartline-twilio-sim"
for ((i = 0; i < 150; i++)); do
    "$sim" calls --sim "http://127.0.0.1:$sim_port" >"$work/calls.json" 2>/dev/null || true
    if grep -q '"to": "client:alice"' "$work/calls.json" && grep -q 'incoming call' "$work/steps.log"; then
        break
    fi
    sleep 0.2
done
grep -q '"to": "client:alice"' "$work/calls.json" || die "no call leg to client:alice: $(cat "$work/calls.json")"
grep -q 'incoming call' "$work/steps.log" || die "the agent app did not ring"
pgrep -f -- "heartline-supervisor --server http://127.0.0.1:$server_port" >/dev/null \
    || die "the supervisor app is not running"

# The admin the steps made may run the housekeeping endpoint; the supervisor may not.
cleanup_as() {
    local token
    token=$(curl -sf -H 'Content-Type: application/json' -d "{\"userId\":\"$1\",\"password\":\"$2\"}" \
        "http://127.0.0.1:$server_port/api/auth/login" | sed -E 's/.*"token": *"([^"]+)".*/\1/')
    [[ -n $token ]] || die "$1 cannot sign in with the README's password"
    curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
        "http://127.0.0.1:$server_port/api/cron/heartbeat-cleanup"
}
[[ $(cleanup_as ada an-admin-password) == 200 ]] || die "the README's admin cannot run the heartbeat cleanup"
[[ $(cleanup_as sam a-long-password) == 403 ]] || die "the README's supervisor may run the heartbeat cleanup"
printf 'PASS: the README first steps ring alice (server :%s, stand-in :%s)\n' "$server_port" "$sim_port"
