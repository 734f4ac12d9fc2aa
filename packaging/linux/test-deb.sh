#!/bin/sh
# Installs the built .deb the way IT would (apt-get install ./lotse_*.deb) and checks the
# installed program: `lotse --version`, the smoke test without a machine policy and with
# packaging/policy.example.toml, and `lotse policy check` on the shipped example.
# Any Python traceback in the output fails the test. Needs root or sudo (make package-test).
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUTDIR=${1:-$ROOT/dist}
ARCH=$(dpkg --print-architecture)
DEB=$(ls -t "$OUTDIR"/lotse_*_"$ARCH".deb 2>/dev/null | head -n 1)
[ -n "$DEB" ] || { echo "test-deb: no lotse_*_$ARCH.deb in $OUTDIR (run make package)" >&2; exit 1; }

if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# apt-get needs a path with a slash to take a local file; --reinstall makes reruns work.
case "$DEB" in /*) ;; *) DEB="./$DEB" ;; esac
$SUDO apt-get install -y -qq --reinstall "$DEB" >/dev/null || {
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --reinstall "$DEB" >/dev/null
}

LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
run() {
    echo "test-deb: $*"
    if ! "$@" >"$LOG" 2>&1; then cat "$LOG"; echo "test-deb: FAILED: $*" >&2; exit 1; fi
    if grep -q "Traceback" "$LOG"; then cat "$LOG"; echo "test-deb: traceback in: $*" >&2; exit 1; fi
}

test "$(command -v lotse)" = /usr/bin/lotse
test -f /usr/share/applications/lotse.desktop
test -f /usr/share/icons/hicolor/scalable/apps/lotse.svg
run /usr/bin/lotse --version
grep -q "^Lotse " "$LOG"
cat "$LOG"
run env LOTSE_POLICY= /usr/bin/lotse smoke
run env LOTSE_POLICY="$ROOT/packaging/policy.example.toml" /usr/bin/lotse smoke
run env LOTSE_POLICY= /usr/bin/lotse policy check /usr/share/doc/lotse/examples/policy.toml
echo "test-deb: $(basename "$DEB") installed; lotse --version, smoke (twice) and policy check passed"
