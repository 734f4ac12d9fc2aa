#!/bin/sh
# Builds dist/lotse_<version>_<arch>.deb from the frozen one-folder app (make package).
#
#   sh packaging/linux/build-deb.sh [BUNDLE] [OUTDIR]     defaults: dist/lotse dist
#
# Installs to /opt/lotse, /usr/bin/lotse (a wrapper), a .desktop entry and the icon. The
# glibc the bundle needs is measured from its binaries (the newest GLIBC_x.y symbol
# version any of them asks for), so the Depends line cannot promise more than the build
# machine delivers. gzip, not xz: 8 s instead of 95 s here, for 73 instead of 56 MB.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUNDLE=${1:-$ROOT/dist/lotse}
OUTDIR=${2:-$ROOT/dist}
STAGE=$ROOT/build/deb/root

[ -x "$BUNDLE/lotse" ] || { echo "build-deb: no frozen app in $BUNDLE (run make package)" >&2; exit 1; }

VERSION=$(QT_QPA_PLATFORM=offscreen LOTSE_POLICY= "$BUNDLE/lotse" --version | awk '{print $2}')
ARCH=$(dpkg --print-architecture)
GLIBC=$(find "$BUNDLE" -type f \( -name '*.so*' -o -perm -u+x \) -exec grep -aoh 'GLIBC_2\.[0-9][0-9]*' {} + \
    | sed 's/GLIBC_//' | sort -uV | tail -n 1)

rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
    "$STAGE/usr/share/icons/hicolor/scalable/apps" "$STAGE/usr/share/doc/lotse/examples"
cp -a "$BUNDLE" "$STAGE/opt/lotse"
install -m 0755 "$ROOT/packaging/linux/lotse-wrapper.sh" "$STAGE/usr/bin/lotse"
install -m 0644 "$ROOT/packaging/linux/lotse.desktop" "$STAGE/usr/share/applications/lotse.desktop"
install -m 0644 "$ROOT/resources/icons/lotse.svg" "$STAGE/usr/share/icons/hicolor/scalable/apps/lotse.svg"
for size in 48 128 256; do  # rendered by packaging/make_icons.py (make package)
    if [ -f "$ROOT/build/icons/lotse-$size.png" ]; then
        install -D -m 0644 "$ROOT/build/icons/lotse-$size.png" \
            "$STAGE/usr/share/icons/hicolor/${size}x${size}/apps/lotse.png"
    fi
done
install -m 0644 "$ROOT/packaging/policy.example.toml" "$STAGE/usr/share/doc/lotse/examples/policy.toml"
cat > "$STAGE/usr/share/doc/lotse/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: Lotse
Files: *
License: EUPL-1.2
Comment: /opt/lotse bundles Python, Qt (LGPL-3.0, via PySide6) and other free libraries
 under their own licences; see /opt/lotse/_internal.
COPYRIGHT

# Whatever umask the build ran under: directories 755, programs 755, everything else 644.
find "$STAGE" -type d -exec chmod 0755 {} +
find "$STAGE" -type f -perm -u+x -exec chmod 0755 {} +
find "$STAGE" -type f ! -perm -u+x -exec chmod 0644 {} +

SIZE=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: lotse
Version: $VERSION
Architecture: $ARCH
Maintainer: Lotse maintainers <lotse@example.org>
Installed-Size: $SIZE
Depends: libc6 (>= $GLIBC), libgl1, libegl1, fontconfig-config, fonts-dejavu-core
Recommends: libxcb-icccm4, libxcb-keysyms1, libwayland-client0, libwayland-cursor0, libwayland-egl1
Section: misc
Priority: optional
Description: encrypted case documentation and statistics for kinderstark navigators
 Lotse keeps the case records of NRW kinderstark navigators in an encrypted vault
 on the navigator's own computer, and makes the anonymous quarterly statistics.
 This package contains the self-contained application in /opt/lotse; it needs no
 Python on the machine. A machine policy goes in /etc/lotse/policy.toml (see
 /usr/share/doc/lotse/examples/policy.toml).
CONTROL

mkdir -p "$OUTDIR"
DEB="$OUTDIR/lotse_${VERSION}_${ARCH}.deb"
dpkg-deb --root-owner-group -Zgzip -z6 --build "$STAGE" "$DEB" >/dev/null
echo "build-deb: $DEB ($(du -h "$DEB" | cut -f1); installed $((SIZE / 1024)) MiB; libc6 >= $GLIBC)"
