# Starting heartline-server and heartline-twilio-sim side by side (./run, ./run demo): addresses checked
# before anything is built, each program awaited until it listens, and its own words shown when it stops.
# Sourced after common.sh, not run. HEARTLINE_RERUN is the command to suggest again with another address.

HEARTLINE_RERUN="${HEARTLINE_RERUN:-./run}"

# check_address VARIABLE ADDRESS: ADDRESS:PORT with a real port (the URLs below are made from it).
check_address() {
    local port=${2##*:}
    if [[ $2 != *:* || ! $port =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
        fail "$1=$2 is not ADDRESS:PORT with a port from 1 to 65535 (e.g. 127.0.0.1:18080)"
    fi
}

# accepts_connections ADDRESS:PORT: true when some program already listens there.
accepts_connections() {
    local host=${1%:*} port=${1##*:}
    host=${host#[}
    host=${host%]}
    # shellcheck disable=SC2016 # $0 and $1 are the inner shell's: host and port
    timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$host" "$port" 2>/dev/null
}

# another_address ADDRESS:PORT: the same address with a port 10000 away, to suggest.
another_address() {
    local port=${1##*:}
    printf '%s:%d' "${1%:*}" $((port <= 55535 ? port + 10000 : port - 10000))
}

# A program already on one of the ports would take our traffic (another ./run answers /healthz just like
# our own server, then refuses our accounts): stop before building anything.
check_free() { # VARIABLE ADDRESS NAME
    if accepts_connections "$2"; then
        fail "$2 is already in use: another program listens there (another ./run or ./run demo?), so $3 cannot.
Stop that program, or choose another address: $1=$(another_address "$2") $HEARTLINE_RERUN"
    fi
}

# explain_stop NAME STATUS LOG VARIABLE ADDRESS WHEN: NAME ended on its own (WHEN: "before it listened",
# "while the demo ran"). Its last words say why; a port taken is the likeliest reason, and has a remedy.
explain_stop() {
    local name=$1 status=$2 log=$3 variable=$4 address=$5 when=$6
    printf '\nerror: %s (%s) stopped %s, exit status %s. The end of %s:\n' "$name" "$address" "$when" "$status" \
        "${log#"$HEARTLINE_ROOT"/}" >&2
    tail -n 8 "$log" | sed 's/^/    /' >&2
    if grep -q 'already in use' "$log"; then
        printf 'Another program holds %s: stop it, or choose another address: %s=%s %s\n' \
            "$address" "$variable" "$(another_address "$address")" "$HEARTLINE_RERUN" >&2
    fi
    exit 1
}

# await_listening NAME PID LOG VARIABLE ADDRESS: returns once NAME printed "listening on", which it does only
# after it bound its port. A process that ends first (a port taken since the check above) is explained.
await_listening() {
    local name=$1 pid=$2 log=$3 variable=$4 address=$5 tries status
    for ((tries = 0; tries < 300; tries++)); do
        grep -q "^$name .*listening on " "$log" && return 0
        if ! kill -0 "$pid" 2>/dev/null; then
            status=0
            wait "$pid" || status=$?
            explain_stop "$name" "$status" "$log" "$variable" "$address" "before it listened"
        fi
        sleep 0.1
    done
    fail "$name did not listen on $address within 30 s (log: $log)"
}

