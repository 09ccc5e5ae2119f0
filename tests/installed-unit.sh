#!/usr/bin/env bash
# The systemd unit as `cmake --install` leaves it: its ExecStart names the heartline-server that the
# same install put in place (under /usr/local by default, /usr for packages), and systemd reads the
# unit without a complaint. Installs into a throwaway DESTDIR; usage: installed-unit.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: installed-unit.sh BUILD_DIR}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

die() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

DESTDIR=$root cmake --install "$build" >/dev/null
unit=$(find "$root" -path '*/lib/systemd/system/heartline-server.service' -print -quit)
[[ -n $unit ]] || die "no heartline-server.service under lib/systemd/system after cmake --install"
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
binary=${exec_start%% *}
[[ $binary == /* ]] || die "ExecStart does not start with an absolute path: $exec_start"
[[ -x $root$binary ]] || die "ExecStart names $binary, but the install put no executable there"
"$root$binary" --version >/dev/null || die "$binary --version failed"

if command -v systemd-analyze >/dev/null; then
    # verify wants the executable at its real path: check a copy whose ExecStart points into the root.
    checked=$root/heartline-server.service
    sed "s|^ExecStart=$binary|ExecStart=$root$binary|" "$unit" >"$checked"
    output=$(systemd-analyze verify "$checked" 2>&1 | grep -F 'heartline-server.service' || true)
    [[ -z $output ]] || die "systemd-analyze verify: $output"
else
    printf 'note: systemd-analyze is not installed; the unit was not verified by systemd\n'
fi
printf 'PASS: the installed unit starts %s, which the install put there\n' "$binary"
