#!/usr/bin/env bash
# Screenshots of what a person looks at, taken by headless Chromium (Debian package `chromium`):
#   1. the simulator's HTML report (a small synthetic trace through all five policies),
#   2. a static preview of the Grafana dashboard (deploy/grafana/wdrf-dashboard.json: layout, titles, PromQL).
# Each PNG is then decoded and checked not to be blank (dashboard_preview.py check).
#
# Usage (from the repository root, after `mvn -B -pl wdrf-standalone -am package -DskipTests`):
#   deploy/tools/screenshots.sh [OUT_DIR]        # default /tmp/wdrf-screenshots
# Prints the PNG paths. Needs java, python3 and chromium (apt-get install chromium; installed when absent).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-/tmp/wdrf-screenshots}
jar=wdrf-standalone/target/wdrf-standalone.jar
[ -f "$jar" ] || { echo "screenshots.sh: build $jar first (mvn -B -pl wdrf-standalone -am package -DskipTests)" >&2; exit 2; }
if ! command -v chromium >/dev/null; then
    apt-get install -y -q chromium >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }
fi
rm -rf "$out"
mkdir -p "$out/sim"

java -jar "$jar" simulate --trace synthetic --jobs 400 --gpus 32 --out "$out/sim" >"$out/simulate.log" 2>&1
python3 deploy/tools/dashboard_preview.py html deploy/grafana/wdrf-dashboard.json "$out/dashboard-preview.html"

shoot() { # URL PNG WIDTH HEIGHT
    local profile
    profile=$(mktemp -d)
    # The flags keep Chromium off the network (closed here) and away from any existing profile.
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --user-data-dir="$profile" --hide-scrollbars \
        --window-size="$3,$4" --virtual-time-budget=5000 --screenshot="$2" "$1" >"$2.log" 2>&1
    rm -rf "$profile"
    [ -s "$2" ] || { echo "screenshots.sh: chromium wrote no $2 (log: $2.log)" >&2; exit 1; }
}
shoot "file://$out/sim/report.html" "$out/simulator-report.png" 1400 2200
shoot "file://$out/dashboard-preview.html" "$out/dashboard-preview.png" 1600 3000

python3 deploy/tools/dashboard_preview.py check "$out/simulator-report.png"
python3 deploy/tools/dashboard_preview.py check "$out/dashboard-preview.png"
ls -l "$out"/*.png
