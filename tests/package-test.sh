#!/usr/bin/env bash
# The Debian packages as an administrator meets them, in a clean Debian 12 root (debootstrap, chroot):
#   1. the heartline-server package of an older version installs with its dependencies, makes the user
#      heartline, /var/lib/heartline and the conffile /etc/heartline/heartline.ini, and ships the unit;
#   2. the server starts from the packaged config without systemd, as heartline, and answers /healthz;
#      the admin CLI adds an admin as `sudo -u heartline` would, and that admin can sign in;
#   3. this build's packages install over the older one (upgrade): the database, its users and an
#      administrator's change to the conffile survive, the database is at the newest schema, the
#      server starts again; the twilio-sim, agent and supervisor packages install and their programs
#      load, launchers, icons and AppStream metadata are where desktops look and pass the validators;
#   4. purge removes the packages, /etc/heartline and /var/lib/heartline.
# The "older" packages are this build's programs under a lower version (cpack -R): the upgrade is real
# for dpkg (maintainer scripts, conffiles, data kept), the schema migrations themselves are
# tst_migrations'.
#
# usage: tests/package-test.sh BUILD_DIR    (as root; docs/install.md, "Testing the packages")
# Exits 77 (ctest: skipped) with the reason when it cannot run here: not root, no debootstrap, no
# mounts, no Debian mirror. Environment (optional):
#   HEARTLINE_DEBIAN_MIRROR   the Debian archive (default: the host's apt sources, else deb.debian.org)
#   HEARTLINE_ROOTFS_CACHE    the cached clean root (default: build/cache/bookworm-minbase.tar; delete
#                             it to make a fresh one)
#   HEARTLINE_PACKAGE_TEST_APT_CACHE  where downloaded .debs are kept between runs (default: the host's
#                             /var/cache/apt/archives, which holds Qt already on a machine that built Heartline)
#   HEARTLINE_PACKAGE_TEST_KEEP=1  keep the root (BUILD_DIR/package-test/root) after the test to look at
set -euo pipefail

build=$(cd "${1:?usage: tests/package-test.sh BUILD_DIR}" && pwd -P)
export HEARTLINE_BUILD_DIR=$build
source "$(dirname "$0")/../scripts/common.sh"

started=$SECONDS
skip() {
    printf 'SKIP: %s\n' "$*"
    exit 77
}
die() {
    printf '\nFAIL: %s\n' "$*" >&2
    exit 1
}
check() { printf '    ok: %s\n' "$*"; }
# A step line with the seconds since the start: where the time goes.
stage() { step "$* [$((SECONDS - started)) s]"; }

# --- can it run here? ---
((EUID == 0)) || skip "needs root (debootstrap, chroot, mount): sudo tests/package-test.sh $build"
command -v debootstrap >/dev/null || skip "debootstrap is not installed (apt-get install debootstrap)"
# A container without the capabilities (CAP_SYS_ADMIN, CAP_SYS_CHROOT) cannot make or enter the root.
probe=$(mktemp -d)
if ! mount -t proc proc "$probe" 2>/dev/null; then
    rmdir "$probe"
    skip "mounting is not allowed here (a container without CAP_SYS_ADMIN?): the root needs /proc"
fi
umount "$probe"
rmdir "$probe"
chroot / true 2>/dev/null || skip "chroot is not allowed here (no CAP_SYS_CHROOT)"
[[ -f $build/CPackConfig.cmake ]] || die "$build has no CPackConfig.cmake: configure and build it first"

work=$build/package-test
root=$work/root
cache=${HEARTLINE_ROOTFS_CACHE:-$HEARTLINE_ROOT/build/cache/bookworm-minbase.tar}
apt_cache=${HEARTLINE_PACKAGE_TEST_APT_CACHE:-/var/cache/apt/archives}
mirror=${HEARTLINE_DEBIAN_MIRROR:-}
if [[ -z $mirror ]]; then
    # The archive the host already uses (the Debian 12 way first: deb822 .sources files).
    mirror=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null \
        | tr ' ' '\n' | grep -v -- '-security' | head -n 1 || true)
    [[ -n $mirror ]] || mirror=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' \
        /etc/apt/sources.list 2>/dev/null || true)
    mirror=${mirror:-http://deb.debian.org/debian}
fi
security=${mirror%/debian}/debian-security
[[ $mirror == */debian ]] || security=http://deb.debian.org/debian-security
curl -fsS -o /dev/null --max-time 15 "$mirror/dists/bookworm/Release" \
    || skip "the Debian archive $mirror does not answer (set HEARTLINE_DEBIAN_MIRROR to one that does)"

mounts=()
server_pid=
cleanup() {
    local status=$?
    [[ -z $server_pid ]] || kill -TERM "$server_pid" 2>/dev/null || true
    # Anything still running inside the root (the server, a daemon a package started) holds its mounts.
    local proc
    for proc in /proc/[0-9]*; do
        [[ $(readlink "$proc/root" 2>/dev/null) == "$root" ]] && kill -KILL "${proc#/proc/}" 2>/dev/null
    done
    local i
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
        umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" || true
    done
    if findmnt -rn -o TARGET | grep -q "^$root/"; then
        printf 'warning: something is still mounted under %s: not deleting it\n' "$root" >&2
    elif [[ ${HEARTLINE_PACKAGE_TEST_KEEP:-0} == 1 ]]; then
        printf 'kept: %s\n' "$root"
    else
        # --one-file-system: never into a mount that survived (the host's /dev or apt cache).
        rm -rf --one-file-system "$root"
    fi
    if ((status == 0)); then
        printf '\nPASS: the packages install, run, upgrade and purge in a clean Debian 12 root (%d s)\n' \
            $((SECONDS - started))
    fi
}
trap cleanup EXIT

mount_in_root() { # SOURCE TARGET [mount options...]
    mkdir -p "$root$2"
    mount "${@:3}" "$1" "$root$2" || die "mount $* failed"
    mounts+=("$root$2")
}

# Everything in the root runs with a clean environment, as a fresh system's root would.
in_root() {
    chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive "$@"
}

# --- packages: this build's, and the same under a lower version to upgrade from ---
stage "Packages: this build's and an older version (cpack)"
rm -rf "$work/debs"
mkdir -p "$work/debs/new" "$work/debs/old"
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
[[ -n $version ]] || die "no CPACK_PACKAGE_VERSION in $build/CPackConfig.cmake"
old_version="$version~older" # sorts before $version for dpkg
arch=$(dpkg --print-architecture)
build_packages "$work/debs/new"
build_packages "$work/debs/old" "$old_version" server # only the server is installed at the older version
for component in server twilio-sim agent supervisor; do
    [[ -f $work/debs/new/heartline-${component}_${version}_$arch.deb ]] \
        || die "cpack made no heartline-${component}_${version}_$arch.deb (made: $(ls "$work/debs/new"))"
done
check "$(ls "$work/debs/new" | tr '\n' ' ')"

# --- a clean Debian 12 root ---
if findmnt -rn -o TARGET | grep -q "^$root/"; then
    die "a run that was killed left mounts under $root: unmount them first ($(findmnt -rn -o TARGET | grep "^$root/" | tr '\n' ' '))"
fi
rm -rf --one-file-system "$root"
mkdir -p "$root"
if [[ -s $cache ]]; then
    stage "Clean Debian 12 root from the cache ${cache#"$HEARTLINE_ROOT"/}"
    tar -C "$root" -xf "$cache" || die "cannot unpack $cache (delete it to make a fresh one)"
else
    stage "Clean Debian 12 root: debootstrap bookworm (minbase) from $mirror"
    mkdir -p "$(dirname "$cache")"
    # The host's apt cache holds the same Debian 12 packages: debootstrap takes them from there.
    mkdir -p "$apt_cache/partial"
    debootstrap --variant=minbase --cache-dir="$apt_cache" bookworm "$root" "$mirror" \
        >"$work/debootstrap.log" 2>&1 || { tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
    tar -C "$root" -cf "$cache.partial" . && mv "$cache.partial" "$cache"
fi
# The archive with its updates, as a Debian 12 host has them (and the host's cached packages match).
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOF
cp /etc/resolv.conf "$root/etc/resolv.conf"
# No service of a dependency (dbus…) is started in here: it would outlive the test and hold the mounts.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
mount_in_root proc /proc -t proc
[[ -c $root/dev/null ]] || mount_in_root /dev /dev --bind
# Qt and the rest come from the host's apt cache when it has them, and are downloaded once otherwise.
mkdir -p "$apt_cache/partial"
mount_in_root "$apt_cache" /var/cache/apt/archives --bind
[[ ! -d $root/run/systemd/system ]] || die "the root has /run/systemd/system: postinst would call systemctl"
cp -r "$work/debs" "$root/tmp/heartline-debs"
chmod -R a+rX "$root/tmp/heartline-debs" # apt reads local packages as its user _apt
in_root apt-get update -qq >"$work/apt-update.log" 2>&1 || { cat "$work/apt-update.log" >&2; die "apt-get update in the root failed"; }

apt_install() { # DESCRIPTION PACKAGE-FILE...
    local description=$1
    shift
    local log=$work/apt-install.log
    in_root apt-get install -y --no-install-recommends "$@" >"$log" 2>&1 \
        || { tail -n 40 "$log" >&2; die "apt-get install of $description failed (log above)"; }
}

# The server as the unit would start it, but without systemd: as heartline, with the packaged config.
# --listen 127.0.0.1:0 because the root shares the host's network, where 8080 may be taken.
start_server() {
    local log=$work/server.log
    in_root runuser -u heartline -- heartline-server --config /etc/heartline/heartline.ini \
        --listen 127.0.0.1:0 >"$log" 2>&1 &
    server_pid=$!
    local deadline=$((SECONDS + 30))
    port=
    until [[ -n $port ]]; do
        kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; die "heartline-server stopped at start (log above)"; }
        ((SECONDS < deadline)) || { cat "$log" >&2; die "heartline-server did not say where it listens within 30 s"; }
        port=$(sed -n 's|.* listening on http://127\.0\.0\.1:\([0-9]*\) .*|\1|p' "$log")
        [[ -n $port ]] || sleep 0.2
    done
    local health=
    deadline=$((SECONDS + 30))
    until [[ $health == *'"status":"ok"'* ]]; do
        ((SECONDS < deadline)) || die "GET /healthz did not answer ok within 30 s (last answer: ${health:-none})"
        health=$(curl -fsS --max-time 2 "http://127.0.0.1:$port/healthz" 2>/dev/null) || sleep 0.2
    done
    grep -q '(database /var/lib/heartline/heartline.db)' "$log" \
        || die "the server did not open /var/lib/heartline/heartline.db: $(cat "$log")"
    check "heartline-server runs as heartline from the packaged config; /healthz: $health"
}
stop_server() {
    kill -TERM "$server_pid"
    local deadline=$((SECONDS + 15))
    while kill -0 "$server_pid" 2>/dev/null; do
        ((SECONDS < deadline)) || die "heartline-server did not stop within 15 s of SIGTERM"
        sleep 0.2
    done
    wait "$server_pid" || true
    server_pid=
}
sign_in() { # ID PASSWORD: the HTTP status of POST /api/auth/login
    curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
        -d "{\"userId\":\"$1\",\"password\":\"$2\"}" "http://127.0.0.1:$port/api/auth/login"
}

# --- 1. the older server package on a clean system ---
stage "Installing heartline-server $old_version (apt, with its dependencies)"
apt_install "heartline-server $old_version" "/tmp/heartline-debs/old/heartline-server_${old_version}_$arch.deb"
[[ $(in_root dpkg-query -W -f='${Status} ${Version}' heartline-server) == "install ok installed $old_version" ]] \
    || die "heartline-server $old_version is not installed"
in_root getent passwd heartline >/dev/null || die "postinst made no user heartline"
[[ $(in_root stat -c '%U:%G %a' /var/lib/heartline) == "heartline:heartline 750" ]] \
    || die "/var/lib/heartline is $(in_root stat -c '%U:%G %a' /var/lib/heartline), not heartline:heartline 750"
check "system user heartline; /var/lib/heartline owned by it, mode 750"
grep -qx /etc/heartline/heartline.ini "$root/var/lib/dpkg/info/heartline-server.conffiles" \
    || die "/etc/heartline/heartline.ini is not a conffile of heartline-server"
grep -qx 'database=/var/lib/heartline/heartline.db' "$root/etc/heartline/heartline.ini" \
    || die "the packaged heartline.ini does not name /var/lib/heartline/heartline.db"
check "conffile /etc/heartline/heartline.ini, database in /var/lib/heartline"
unit=$root/usr/lib/systemd/system/heartline-server.service
[[ -f $unit ]] || die "no /usr/lib/systemd/system/heartline-server.service"
grep -q '^ExecStart=/usr/bin/heartline-server ' "$unit" || die "the unit does not start /usr/bin/heartline-server"
[[ -L $root/etc/systemd/system/multi-user.target.wants/heartline-server.service ]] \
    || die "postinst did not enable heartline-server.service"
check "unit /usr/lib/systemd/system/heartline-server.service, enabled (multi-user.target)"

# --- 2. the server and the admin CLI, as heartline ---
stage "Starting heartline-server without systemd, the admin CLI"
start_server
printf 'ada-password\n' | in_root runuser -u heartline -- \
    heartline-server --config /etc/heartline/heartline.ini user add ada --role admin >"$work/cli.log" 2>&1 \
    || die "heartline-server user add as heartline failed: $(cat "$work/cli.log")"
[[ $(sign_in ada ada-password) == 200 ]] || die "ada, added with the admin CLI, cannot sign in to the running server"
check "user add ada --role admin as heartline; ada signs in"
stop_server
# An administrator's own setting, which an upgrade must keep.
sed -i 's/^\[readiness\]$/&\n; kept across upgrades/; s/^threshold=70$/threshold=75/' "$root/etc/heartline/heartline.ini"
grep -qx 'threshold=75' "$root/etc/heartline/heartline.ini" || die "could not change the conffile for the upgrade check"

# --- 3. upgrade to this build's packages, and the other three ---
stage "Upgrading to $version: heartline-server, and installing heartline-twilio-sim, -agent, -supervisor"
apt_install "this build's packages" "/tmp/heartline-debs/new/heartline-server_${version}_$arch.deb" \
    "/tmp/heartline-debs/new/heartline-twilio-sim_${version}_$arch.deb" \
    "/tmp/heartline-debs/new/heartline-agent_${version}_$arch.deb" \
    "/tmp/heartline-debs/new/heartline-supervisor_${version}_$arch.deb"
for package in heartline-server heartline-twilio-sim heartline-agent heartline-supervisor; do
    [[ $(in_root dpkg-query -W -f='${Status} ${Version}' $package) == "install ok installed $version" ]] \
        || die "$package $version is not installed"
done
check "all four packages at $version"
grep -qx 'threshold=75' "$root/etc/heartline/heartline.ini" || die "the upgrade replaced the administrator's heartline.ini"
check "the administrator's change to heartline.ini is kept"
start_server
[[ $(sign_in ada ada-password) == 200 ]] || die "ada no longer signs in after the upgrade: the database was not kept"
stop_server
newest=$(find "$HEARTLINE_ROOT/server/migrations" -name '[0-9][0-9][0-9][0-9]_*.sql' -printf '%f\n' | sort | tail -n 1)
newest=$((10#${newest%%_*}))
# The schema version is SQLite's user_version: 4 bytes, big-endian, at offset 60 of the database file,
# which the server's clean stop has brought up to date (its write-ahead log checkpointed).
read -r -a bytes < <(od -An -v -j 60 -N 4 -tu1 "$root/var/lib/heartline/heartline.db")
schema=$(((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]))
[[ $schema == "$newest" ]] || die "the database is at schema $schema after the upgrade, not $newest"
check "after the upgrade: ada signs in, the database is at schema $newest"

for program in heartline-twilio-sim heartline-agent heartline-supervisor; do
    # --version loads every library and the Qt platform plugin: a missing dependency shows here.
    in_root env QT_QPA_PLATFORM=offscreen "$program" --version >"$work/version.log" 2>&1 \
        || die "$program --version failed in the root: $(cat "$work/version.log")"
done
[[ -f $root/usr/share/heartline/caller-sentence.wav ]] || die "heartline-twilio-sim has no caller-sentence.wav"
check "heartline-twilio-sim, heartline-agent and heartline-supervisor start (--version)"
for app in agent supervisor; do
    for file in /usr/share/applications/heartline-$app.desktop /usr/share/metainfo/heartline-$app.metainfo.xml \
        /usr/share/icons/hicolor/scalable/apps/heartline-$app.svg /usr/share/doc/heartline-$app/copyright; do
        [[ -s $root$file ]] || die "heartline-$app has no $file"
    done
    for size in 16 24 32 48 64 128 256; do
        [[ -s $root/usr/share/icons/hicolor/${size}x$size/apps/heartline-$app.png ]] \
            || die "heartline-$app has no ${size}x$size icon"
    done
    desktop-file-validate "$root/usr/share/applications/heartline-$app.desktop" \
        || die "desktop-file-validate refuses heartline-$app.desktop"
    # The component IDs are not reverse domain names (the project has none to use yet): that warning,
    # and only that, is allowed.
    report=$(appstreamcli validate --no-net "$root/usr/share/metainfo/heartline-$app.metainfo.xml" 2>&1 || true)
    if grep -E '^[EW]:' <<<"$report" | grep -vq 'cid-desktopapp-is-not-rdns'; then
        die "appstreamcli validate refuses heartline-$app.metainfo.xml: $report"
    fi
done
desktop-file-validate "$root/usr/share/heartline/autostart/heartline-agent.desktop" \
    || die "desktop-file-validate refuses the agent app's autostart entry"
[[ ! -e $root/etc/xdg/autostart/heartline-agent.desktop ]] || die "the agent app starts at every sign-in: autostart must be opt-in"
check "launchers, icons (16-256 px and SVG), metainfo and the opt-in autostart entry, validated"

# --- 4. purge ---
stage "Purging the four packages"
in_root apt-get purge -y heartline-server heartline-twilio-sim heartline-agent heartline-supervisor \
    >"$work/apt-purge.log" 2>&1 || { tail -n 30 "$work/apt-purge.log" >&2; die "apt-get purge failed"; }
for package in heartline-server heartline-twilio-sim heartline-agent heartline-supervisor; do
    state=$(in_root dpkg-query -W -f='${Status}' $package 2>/dev/null || true)
    [[ -z $state || $state == *not-installed ]] || die "$package is still there after the purge: $state"
done
for path in /etc/heartline /var/lib/heartline /usr/bin/heartline-server /usr/lib/systemd/system/heartline-server.service \
    /etc/systemd/system/multi-user.target.wants/heartline-server.service; do
    [[ ! -e $root$path && ! -L $root$path ]] || die "$path is still there after the purge"
done
check "packages gone; /etc/heartline, /var/lib/heartline and the unit removed (the user heartline stays, as is Debian practice)"
