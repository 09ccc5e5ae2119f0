#!/usr/bin/env bash
# ./run demo: heartline-server and heartline-twilio-sim wired together on loopback, on SQLite in
# ./var/demo/ (a fresh database each time), a few dozen simulated agents (some of them faulty now and
# then) and a gentle stream of calls with bursts that fill the queue (heartline-demo), a summary in
# the terminal every few seconds, and heartline-supervisor when a display is there and it is built.
# With a display, a real heartline-agent (demo-agent) signs in too: its softphone registers at the
# stand-in's SIP domain (Kamailio on DEMO_SIP_LISTEN) and rings with real audio (the caller's spoken
# sentence) when a call is routed to it; the simulated agents stay Voice SDK clients.
# Ctrl+C stops everything.
#
# Environment (all optional):
#   DEMO_SERVER_LISTEN     heartline-server address (127.0.0.1:8080)
#   DEMO_SIM_LISTEN        heartline-twilio-sim address (127.0.0.1:8090)
#   DEMO_SIP_LISTEN        the stand-in's SIP domain, with a display (127.0.0.1:5070)
#   DEMO_REAL_AGENT        0: no real heartline-agent even with a display (1)
#   DEMO_AGENTS            simulated agents (36)
#   DEMO_CALLS_PER_MINUTE  Poisson call rate (8)
#   DEMO_BURST_EVERY       seconds between bursts of calls, 0 for none (180)
#   DEMO_FAULT_EVERY       mean seconds between two faults, 0 for none (20); the first comes within 20 s
#   DEMO_SUMMARY_EVERY     seconds between two summaries (5)
#   DEMO_SEED              random seed (1)
#   DEMO_DURATION          stop by itself after this many seconds (0: at Ctrl+C)
#   DEMO_DIR               database and logs (var/demo)
#   DEMO_BUILD             0: run what is built already, without the package check and the build (1)
set -euo pipefail
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/services.sh"
HEARTLINE_RERUN="./run demo"
cd "$HEARTLINE_ROOT"

server_listen="${DEMO_SERVER_LISTEN:-127.0.0.1:8080}"
sim_listen="${DEMO_SIM_LISTEN:-127.0.0.1:8090}"
agents="${DEMO_AGENTS:-36}"
server_url="http://$server_listen"
sim_url="http://$sim_listen"
demo_dir="${DEMO_DIR:-$HEARTLINE_ROOT/var/demo}"
database="$demo_dir/heartline.db"
supervisor_id=demo-supervisor
supervisor_password=demo-supervisor-pw
sip_listen="${DEMO_SIP_LISTEN:-127.0.0.1:5070}"
sip_domain=demo.sip.twilio.com
real_agent_id=demo-agent
real_agent_password=demo-agent-pw
real_agent=0
[[ -n ${DISPLAY:-} && ${DEMO_REAL_AGENT:-1} != 0 ]] && real_agent=1

if ! [[ $agents =~ ^[0-9]+$ ]] || ((agents < 1 || agents > 9999)); then
    fail "DEMO_AGENTS must be a number from 1 to 9999"
fi

check_address DEMO_SERVER_LISTEN "$server_listen"
check_address DEMO_SIM_LISTEN "$sim_listen"
[[ $server_listen != "$sim_listen" ]] || fail "DEMO_SERVER_LISTEN and DEMO_SIM_LISTEN are both $server_listen"
check_free DEMO_SERVER_LISTEN "$server_listen" heartline-server
check_free DEMO_SIM_LISTEN "$sim_listen" heartline-twilio-sim
if ((real_agent)); then
    check_address DEMO_SIP_LISTEN "$sip_listen"
    check_free DEMO_SIP_LISTEN "$sip_listen" "the stand-in's SIP domain"
fi

if [[ ${DEMO_BUILD:-1} != 0 ]]; then
    mkdir -p "$(dirname "$HEARTLINE_BUILD_DIR")"
    ensure_packages
    configure_and_build heartline-server heartline-twilio-sim heartline-demo
    if ((real_agent)); then
        configure_and_build heartline-agent heartline-supervisor
    fi
fi
server_bin="$HEARTLINE_BUILD_DIR/server/heartline-server"
sim_bin="$HEARTLINE_BUILD_DIR/tools/twilio-sim/heartline-twilio-sim"
demo_bin="$HEARTLINE_BUILD_DIR/tools/demo/heartline-demo"
supervisor_bin="$HEARTLINE_BUILD_DIR/supervisor-app/heartline-supervisor"
agent_bin="$HEARTLINE_BUILD_DIR/agent-app/heartline-agent"
[[ -x $agent_bin ]] || real_agent=0
for bin in "$server_bin" "$sim_bin" "$demo_bin"; do
    [[ -x $bin ]] || fail "$bin is not built (run without DEMO_BUILD=0)"
done

# The stand-in and the server share these (the stand-in signs webhooks with the token, the server checks them).
export TWILIO_ACCOUNT_SID="AC0000000000000000000000000000de00"
export TWILIO_AUTH_TOKEN="demo0auth0token0demo0auth0token0"
export TWILIO_API_BASE_URL="$sim_url"
export PUBLIC_BASE_URL="$server_url"
# Demo accounts with well-known passwords: fewer PBKDF2 rounds keep creating them quick.
export PASSWORD_ITERATIONS=20000
sim_sip_arguments=()
if ((real_agent)); then
    # The stand-in plays the Twilio SIP domain; the server dials the real agent's softphone there over
    # TCP without SRTP (a loopback demo has no certificates), and the simulated agents as Voice SDK clients.
    export SIP_DOMAIN="$sip_domain" SIP_EDGE_HOST="$sip_listen" SIP_TRANSPORT=tcp SIP_SECURE_MEDIA=false
    sim_sip_arguments=(--sip-domain "$sip_domain" --sip-listen "$sip_listen")
fi

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
if ((real_agent)); then
    printf '%s\n' "$real_agent_password" \
        | "$server_bin" --db "$database" user add "$real_agent_id" --role agent --name "Demo Agent (you)" >/dev/null \
        || fail "could not create $real_agent_id with the admin CLI"
fi

pids=() # newest first: stopped in that order
stopping=0
stop_all() {
    trap - INT TERM EXIT
    stopping=1
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
server_pid=$!
pids=("$server_pid")
"$sim_bin" --listen "$sim_listen" --account-sid "$TWILIO_ACCOUNT_SID" --auth-token "$TWILIO_AUTH_TOKEN" \
    --voice-url "$server_url/twilio/voice/inbound" --status-callback "$server_url/twilio/voice/status" \
    "${sim_sip_arguments[@]}" >"$demo_dir/sim.log" 2>&1 &
sim_pid=$!
pids=("$sim_pid" "${pids[@]}")
await_listening heartline-server "$server_pid" "$demo_dir/server.log" DEMO_SERVER_LISTEN "$server_listen"
await_listening heartline-twilio-sim "$sim_pid" "$demo_dir/sim.log" DEMO_SIM_LISTEN "$sim_listen"

supervisor_pid=
if [[ -n ${DISPLAY:-} && -x $supervisor_bin ]]; then
    step "Starting heartline-supervisor (sign in as $supervisor_id / $supervisor_password)"
    "$supervisor_bin" --server "$server_url" \
        --user "$supervisor_id" >"$demo_dir/supervisor.log" 2>&1 &
    supervisor_pid=$!
    pids=("$supervisor_pid" "${pids[@]}")
fi

agent_pid=
if ((real_agent)); then
    step "Starting heartline-agent as $real_agent_id (its softphone registers at $sip_domain on $sip_listen)"
    # Settings of its own, so the demo never touches the desktop user's; available at once.
    printf '%s\n' "$real_agent_password" | "$agent_bin" --config "$demo_dir/agent.ini" --server "$server_url" \
        --agent "$real_agent_id" --password-stdin --status available >"$demo_dir/agent.log" 2>&1 &
    agent_pid=$!
    pids=("$agent_pid" "${pids[@]}")
fi

cat <<INFO

    server:     $server_url   (health: $server_url/healthz, log: ${demo_dir#"$HEARTLINE_ROOT"/}/server.log)
    stand-in:   $sim_url   (calls: $sim_bin calls --sim $sim_url, log: ${demo_dir#"$HEARTLINE_ROOT"/}/sim.log)
    supervisor: $supervisor_id / $supervisor_password${supervisor_pid:+ (heartline-supervisor started)}
    agents:     agent-0001 … $(printf 'agent-%04d' "$agents"), password <id>-pw
${agent_pid:+    you:        $real_agent_id / $real_agent_password in heartline-agent: calls routed to you ring with real audio (SIP $sip_domain on $sip_listen)
}    stop:       Ctrl+C

INFO

HEARTLINE_DEMO_SUPERVISOR_PASSWORD="$supervisor_password" "$demo_bin" --server "$server_url" --sim "$sim_url" \
    --supervisor "$supervisor_id" --agents "$agents" --calls-per-minute "${DEMO_CALLS_PER_MINUTE:-8}" \
    --burst-every "${DEMO_BURST_EVERY:-180}" --fault-every "${DEMO_FAULT_EVERY:-20}" \
    --summary-every "${DEMO_SUMMARY_EVERY:-5}" --seed "${DEMO_SEED:-1}" --duration "${DEMO_DURATION:-0}" &
demo_pid=$!
pids=("$demo_pid" "${pids[@]}")
# Whichever ends first: the demo (its duration, a failure, Ctrl+C) or, unexpectedly, the server or the stand-in,
# which would leave the demo talking to nobody. `wait` returns as soon as a trapped signal arrives, so Ctrl+C
# stops everything at once.
status=0
wait -n -p ended "$demo_pid" "$server_pid" "$sim_pid" || status=$?
# Ctrl+C reaches the server and the stand-in too: one of them may end first, and that is no news.
if ((!stopping)); then
    case ${ended:-} in
    "$server_pid") explain_stop heartline-server "$status" "$demo_dir/server.log" DEMO_SERVER_LISTEN \
        "$server_listen" "while the demo ran" ;;
    "$sim_pid") explain_stop heartline-twilio-sim "$status" "$demo_dir/sim.log" DEMO_SIM_LISTEN "$sim_listen" \
        "while the demo ran" ;;
    esac
fi
exit "$status"
