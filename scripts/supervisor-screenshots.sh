#!/usr/bin/env bash
# Renders the supervisor dashboard under Xvfb against a simulated floor and writes
# docs/screenshots/supervisor-*.png. Needs xvfb (apt-get install xvfb) and a configured build tree with
# HEARTLINE_BUILD_GUI=ON (default build/release; pass another as the first argument).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build/release}"
out="$here/docs/screenshots"

command -v xvfb-run >/dev/null || { echo "xvfb-run is missing: apt-get install xvfb" >&2; exit 1; }
[ -f "$build/CMakeCache.txt" ] || { echo "no build tree at $build (configure it first)" >&2; exit 1; }

cmake --build "$build" --target supervisor_screenshots
mkdir -p "$out"
# A fixed time zone and style so the pictures do not depend on the machine that renders them.
TZ=UTC QT_QPA_PLATFORM=xcb QT_STYLE_OVERRIDE=Fusion \
    xvfb-run --auto-servernum --server-args="-screen 0 1680x1050x24" \
    "$build/tests/supervisor_screenshots" "$out"
