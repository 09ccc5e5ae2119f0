#!/usr/bin/env bash
# ./run package: build Release and write the Debian packages to dist/ (docs/install.md):
# heartline-server, heartline-twilio-sim, heartline-agent and heartline-supervisor.
# Environment (optional): HEARTLINE_PACKAGE_VERSION  a version other than the project's, e.g. 0.1.0~rc1
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$HEARTLINE_ROOT"

dist="$HEARTLINE_ROOT/dist"
mkdir -p "$(dirname "$HEARTLINE_BUILD_DIR")"
ensure_packages
configure_and_build heartline-server heartline-twilio-sim heartline-agent heartline-supervisor

step "Packaging (cpack, DEB) into dist/"
mkdir -p "$dist"
# Packages of an earlier run would sit beside the new ones and be installed by mistake.
rm -f "$dist"/heartline-*.deb
build_packages "$dist" "${HEARTLINE_PACKAGE_VERSION:-}"
for deb in "$dist"/heartline-*.deb; do
    printf '    %s\n' "${deb#"$HEARTLINE_ROOT"/}"
    printf "        depends: %s\n" "$(dpkg-deb --field "$deb" Depends)"
done
printf '\n    install on Debian 12:  sudo apt install ./dist/heartline-server_*.deb\n'
printf '    test in a clean root:  sudo tests/package-test.sh build/release   (docs/install.md)\n'
