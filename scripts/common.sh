# Shared by ./run and ./test: install what is missing, configure and build. Sourced, not run.

HEARTLINE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HEARTLINE_BUILD_DIR="${HEARTLINE_BUILD_DIR:-$HEARTLINE_ROOT/build/release}"

# Everything the project needs from Debian 12, and nothing installed by hand.
HEARTLINE_PACKAGES=(
    # toolchain
    g++ cmake ninja-build ccache pkg-config
    # Qt 6.4 and the Qt SQLite driver
    qt6-base-dev qt6-base-dev-tools qt6-httpserver-dev qt6-websockets-dev qt6-charts-dev
    qt6-multimedia-dev libqt6opengl6-dev libqt6sql6-sqlite qt6-qpa-plugins
    libgl-dev libvulkan-dev libxkbcommon-dev
    # The X server's input idle time (MIT-SCREEN-SAVER) for the agent app's "Still there?"
    libxss-dev
    # Twilio REST client
    libcurl4-openssl-dev
    # Real voice: liblinphone++ (SIP + RTP) in the apps; Kamailio as the stand-in's SIP domain, its
    # credentials in SQLite (read at every request, so a changed password counts at once) and TLS;
    # espeak-ng speaks the stand-in's caller sentence at build time; openssl makes test certificates
    liblinphone-dev kamailio kamailio-sqlite-modules kamailio-tls-modules espeak-ng openssl
    # A sound server with software-only devices for the SIP device tests (no sound card needed)
    pulseaudio pulseaudio-utils
    # Window screenshots of the desktop apps under a virtual display; xdotool makes input there for
    # the agent app's X11 idle-time test
    xvfb xauth xdotool
    # tests/first-steps.sh signs in over HTTP as a reader of the README would
    curl
    # ./run package: cpack's DEB generator reads library dependencies with dpkg-shlibdeps; the package
    # test (tests/package-test.sh) makes a clean Debian 12 root with debootstrap and checks the shipped
    # launchers and AppStream metadata with the validators distributions use
    dpkg-dev debootstrap desktop-file-utils appstream
)

step() { printf '\n==> %s\n' "$*"; }
fail() {
    printf '\nerror: %s\n' "$*" >&2
    exit 1
}

missing_packages() {
    local pkg
    for pkg in "${HEARTLINE_PACKAGES[@]}"; do
        [[ $(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null) == installed ]] || printf '%s\n' "$pkg"
    done
}

ensure_packages() {
    command -v dpkg-query >/dev/null || fail "this needs a Debian 12 system (dpkg-query not found)"
    local missing
    mapfile -t missing < <(missing_packages)
    if ((${#missing[@]} == 0)); then
        step "Debian packages: all ${#HEARTLINE_PACKAGES[@]} present"
        return
    fi
    local sudo=()
    if ((EUID != 0)); then
        command -v sudo >/dev/null || fail "missing packages (${missing[*]}) and not root: run as root or install them"
        sudo=(sudo)
    fi
    step "Installing ${#missing[@]} missing Debian package(s): ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update || fail "apt-get update failed (is the Debian archive reachable?)"
    "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}" \
        || fail "apt-get install failed for: ${missing[*]}"
    mapfile -t missing < <(missing_packages)
    ((${#missing[@]} == 0)) || fail "still missing after install: ${missing[*]}"
}

# configure_and_build [ninja target...]: Release build with ccache; only what changed is rebuilt.
configure_and_build() {
    step "Configuring (Release) in ${HEARTLINE_BUILD_DIR#"$HEARTLINE_ROOT"/}"
    cmake -S "$HEARTLINE_ROOT" -B "$HEARTLINE_BUILD_DIR" -G Ninja \
        -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
        -DHEARTLINE_WERROR=ON \
        >"$HEARTLINE_BUILD_DIR.configure.log" 2>&1 \
        || { cat "$HEARTLINE_BUILD_DIR.configure.log" >&2; fail "cmake configure failed (log above)"; }
    step "Building ${*:-everything} ($(nproc) jobs, ccache)"
    cmake --build "$HEARTLINE_BUILD_DIR" --parallel "$(nproc)" ${1:+--target "$@"} \
        || fail "the build failed (compiler output above)"
}

# build_packages OUT_DIR [VERSION [COMPONENT...]]: the Debian packages (.deb) of what is built in
# $HEARTLINE_BUILD_DIR, made by cpack (cmake/HeartlinePackaging.cmake) and put in OUT_DIR. VERSION, when not
# empty, replaces the project's version (the package test makes an older release with it); COMPONENTs
# (server, sim, agent, supervisor) choose packages, all four by default.
build_packages() {
    local out=$1 version=${2:-}
    local components=("${@:3}")
    local work="$out/.cpack"
    rm -rf "$work"
    mkdir -p "$work"
    # -B keeps cpack's staging out of the build folder, so two runs (./run package, the package test)
    # never share it.
    local IFS=';'
    cpack --config "$HEARTLINE_BUILD_DIR/CPackConfig.cmake" -B "$work" ${version:+-R "$version"} \
        ${components[0]:+-D "CPACK_COMPONENTS_ALL=${components[*]}"} \
        >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log" >&2; fail "cpack failed (log above)"; }
    local debs=("$work"/*.deb)
    [[ -e ${debs[0]} ]] || { cat "$work/cpack.log" >&2; fail "cpack made no .deb (log above)"; }
    mv "${debs[@]}" "$out/"
    rm -rf "$work"
}
