#!/usr/bin/env bash
# ./run demo: heartline-server and heartline-twilio-sim wired together on loopback, on SQLite in
# ./var/demo/ (a fresh database each time), a few dozen simulated agents (some of them faulty now and
# then) and a gentle stream of calls with bursts that fill the queue (heartline-demo), a summary in
# the terminal every few seconds, and heartline-supervisor when a display is there and it is built.
# Ctrl+C stops everything.
#
# Environment (all optional):
#   DEMO_SERVER_LISTEN     heartline-server address (127.0.0.1:8080)
#   DEMO_SIM_LISTEN        heartline-twilio-sim address (127.0.0.1:8090)
#   DEMO_AGENTS            simulated agents (36)
#   DEMO_CALLS_PER_MINUTE  Poisson call rate (8)
#   DEMO_BURST_EVERY       seconds between bursts of calls, 0 for none (180)
#   DEMO_FAULT_EVERY       mean seconds between two faults (20)
#   DEMO_SUMMARY_EVERY     seconds between two summaries (5)
#   DEMO_SEED              random seed (1)
#   DEMO_DURATION          stop by itself after this many seconds (0: at Ctrl+C)
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$HEARTLINE_ROOT"

server_listen="${DEMO_SERVER_LISTEN:-127.0.0.1:8080}"
sim_listen="${DEMO_SIM_LISTEN:-127.0.0.1:8090}"
agents="${DEMO_AGENTS:-36}"
server_url="http://$server_listen"
sim_url="http://$sim_listen"
demo_dir="$HEARTLINE_ROOT/var/demo"
database="$demo_dir/heartline.db"
supervisor_id=demo-supervisor
supervisor_password=demo-supervisor-pw

if ! [[ $agents =~ ^[0-9]+$ ]] || ((agents < 1 || agents > 9999)); then
    fail "DEMO_AGENTS must be a number from 1 to 9999"
fi

mkdir -p "$(dirname "$HEARTLINE_BUILD_DIR")"
ensure_packages
configure_and_build heartline-server heartline-twilio-sim heartline-demo
server_bin="$HEARTLINE_BUILD_DIR/server/heartline-server"
sim_bin="$HEARTLINE_BUILD_DIR/tools/twilio-sim/heartline-twilio-sim"
demo_bin="$HEARTLINE_BUILD_DIR/tools/demo/heartline-demo"
supervisor_bin="$HEARTLINE_BUILD_DIR/supervisor-app/heartline-supervisor"

# The stand-in and the server share these (the stand-in signs webhooks with the token, the server checks them).
export TWILIO_ACCOUNT_SID="AC0000000000000000000000000000de00"
export TWILIO_AUTH_TOKEN="demo0auth0token0demo0auth0token0"
export TWILIO_API_BASE_URL="$sim_url"
export PUBLIC_BASE_URL="$server_url"
# Demo accounts with well-known passwords: fewer PBKDF2 rounds keep creating them quick.
export PASSWORD_ITERATIONS=20000

step "Demo database: $database (fresh), $agents agents and $supervisor_id"
mkdir -p "$demo_dir"
rm -f "$database" "$database-wal" "$database-shm"
for ((i = 1; i <= agents; i++)); do
    id=$(printf 'agent-%04d' "$i")
    printf '%s\n' "$id-pw" | "$server_bin" --db "$database" user add "$id" --role agent --name "Agent $i" >/dev/null \
        || fail "could not create $id with the admin CLI"
done
printf '%s\n' "$supervisor_password" \
    | "$server_bin" --db "$database" user add "$supervisor_id" --role supervisor --name "Demo Supervisor" >/dev/null \
    || fail "could not create $supervisor_id with the admin CLI"

pids=() # newest first: stopped in that order
stop_all() {
    trap - INT TERM EXIT
    printf '\n==> Stopping the demo\n'
    # The demo first (it prints its last line), then the supervisor app, the stand-in and the server.
    local pid
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
}
trap stop_all INT TERM EXIT

step "Starting heartline-server on $server_url and heartline-twilio-sim on $sim_url"
"$server_bin" --listen "$server_listen" --db "$database" >"$demo_dir/server.log" 2>&1 &
pids=("$!")
"$sim_bin" --listen "$sim_listen" --account-sid "$TWILIO_ACCOUNT_SID" --auth-token "$TWILIO_AUTH_TOKEN" \
    --voice-url "$server_url/twilio/voice/inbound" --status-callback "$server_url/twilio/voice/status" \
    >"$demo_dir/sim.log" 2>&1 &
pids=("$!" "${pids[@]}")

supervisor_pid=
if [[ -n ${DISPLAY:-} && -x $supervisor_bin ]]; then
    step "Starting heartline-supervisor (sign in as $supervisor_id / $supervisor_password)"
    HEARTLINE_SUPERVISOR_PASSWORD="$supervisor_password" "$supervisor_bin" --server "$server_url" \
        --user "$supervisor_id" >"$demo_dir/supervisor.log" 2>&1 &
    supervisor_pid=$!
    pids=("$supervisor_pid" "${pids[@]}")
fi

cat <<INFO

    server:     $server_url   (health: $server_url/healthz, log: var/demo/server.log)
    stand-in:   $sim_url   (calls: $sim_bin calls --sim $sim_url, log: var/demo/sim.log)
    supervisor: $supervisor_id / $supervisor_password${supervisor_pid:+ (heartline-supervisor started)}
    agents:     agent-0001 … $(printf 'agent-%04d' "$agents"), password <id>-pw
    stop:       Ctrl+C

INFO

HEARTLINE_DEMO_SUPERVISOR_PASSWORD="$supervisor_password" "$demo_bin" --server "$server_url" --sim "$sim_url" \
    --supervisor "$supervisor_id" --agents "$agents" --calls-per-minute "${DEMO_CALLS_PER_MINUTE:-8}" \
    --burst-every "${DEMO_BURST_EVERY:-180}" --fault-every "${DEMO_FAULT_EVERY:-20}" \
    --summary-every "${DEMO_SUMMARY_EVERY:-5}" --seed "${DEMO_SEED:-1}" --duration "${DEMO_DURATION:-0}" &
demo_pid=$!
pids=("$demo_pid" "${pids[@]}")
# `wait` returns as soon as a trapped signal arrives, so Ctrl+C stops everything at once.
status=0
wait "$demo_pid" || status=$?
exit "$status"
