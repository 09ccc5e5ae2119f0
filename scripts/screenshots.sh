#!/usr/bin/env bash
# Renders the agent app's main screens into docs/screenshots/agent-*.png, in a real X window
# under Xvfb (apt-get install xvfb). Usage: scripts/screenshots.sh [BUILD_DIR]
set -euo pipefail

command -v xvfb-run > /dev/null || { echo "screenshots.sh: xvfb-run is missing (apt-get install xvfb)" >&2; exit 1; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build/release}"

if [[ ! -f "$build/CMakeCache.txt" ]]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHEARTLINE_BUILD_GUI=ON
fi
cmake --build "$build" --target agent-screenshots -j2

# A fixed-size screen, the X11 platform (a real window, not offscreen), quiet logs.
QT_QPA_PLATFORM=xcb QT_LOGGING_RULES='*.info=false;*.debug=false' \
    xvfb-run -a -s "-screen 0 1280x1024x24 -dpi 96" \
    "$build/tests/agent-screenshots" "$root/docs/screenshots"
