#!/bin/sh
# Installs the Debian packages Lotse needs that are missing (Qt's libraries for running
# headless and in an X11 session (xcb), fonts, poppler-utils for looking at PDFs, and the
# PostgreSQL server the shared statistics store is tested against: the tests start a
# throwaway cluster of their own, tests/team/conftest.py; fiu-utils for the injected I/O
# errors of tests/torture, time for the peak memory bench/bench_scale.py measures; xvfb,
# xauth and xdotool for driving the real window by keyboard under X11, issue 9).
# Works as root or with sudo; on a
# system without dpkg it only says what it would need.
# With --venv it installs python3-venv (Debian ships Python without it).
set -eu

if [ "${1:-}" = "--venv" ]; then
    PACKAGES="python3-venv"
else
    PACKAGES="libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0 \
libxkbcommon0 fonts-dejavu-core poppler-utils \
libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 \
libxcb-xkb1 libxkbcommon-x11-0 postgresql fiu-utils time \
xvfb xauth xdotool"
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "system-deps: no dpkg here; make sure these (or your system's equivalents) are installed: $PACKAGES"
    exit 0
fi

missing=""
for pkg in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $pkg" ;;
    esac
done

[ -z "$missing" ] && exit 0

echo "system-deps: installing$missing"
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "system-deps: need root or sudo to install:$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing

# Installing postgresql makes the system cluster "main" and may start it. The tests never
# use it (they run their own on a free loopback port); stop it so nothing is left running.
case "$missing" in
    *postgresql*)
        if command -v pg_lsclusters >/dev/null 2>&1; then
            pg_lsclusters --no-header 2>/dev/null | while read -r version name _port status _rest; do
                if [ "$status" = "online" ]; then
                    $SUDO pg_ctlcluster "$version" "$name" stop || true
                fi
            done
        fi
        ;;
esac
