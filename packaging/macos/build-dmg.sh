#!/bin/sh
# Lotse for macOS: Lotse.app, a DMG for people and a .pkg for MDM (Jamf, Intune, Kandji).
# NOT built or tested on the Linux machines Lotse is developed on;
# .github/workflows/installers.yml runs this on a macOS runner.
#
#   sh packaging/macos/build-dmg.sh           (from the repository root, in the venv)
#
# Signing and notarisation need the organisation's Apple Developer ID; they run only when
# MACOS_SIGN_IDENTITY ("Developer ID Application: …") and, for notarisation,
# MACOS_INSTALLER_IDENTITY and MACOS_NOTARY_PROFILE (a `xcrun notarytool store-credentials`
# profile) are set. Unsigned builds run after the user allows them in System Settings.
#
# Silent install for managed Macs:   sudo installer -pkg Lotse-<version>.pkg -target /
# The machine policy goes in /Library/Application Support/Lotse/policy.toml (MDM can
# deploy it as a file or script payload).
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
PYTHON=${PYTHON:-python}

"$PYTHON" tools/build_translations.py
"$PYTHON" packaging/make_icons.py build/icons
rm -rf dist/lotse dist/Lotse.app
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
    packaging/lotse.spec

APP=dist/Lotse.app
VERSION=$(QT_QPA_PLATFORM=offscreen LOTSE_POLICY= "$APP/Contents/MacOS/Lotse" --version | awk '{print $2}')

# The frozen app must pass its own smoke test before it is packed.
QT_QPA_PLATFORM=offscreen LOTSE_POLICY= "$APP/Contents/MacOS/Lotse" smoke

if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
    codesign --force --deep --options runtime --timestamp --sign "$MACOS_SIGN_IDENTITY" "$APP"
    codesign --verify --deep --strict "$APP"
fi

# DMG: the app and a link to /Applications, for dragging.
STAGE=build/dmg
rm -rf "$STAGE" && mkdir -p "$STAGE"
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
hdiutil create -volname "Lotse $VERSION" -srcfolder "$STAGE" -ov -format UDZO "dist/Lotse-$VERSION.dmg"

# PKG: installs Lotse.app into /Applications for every user, without questions.
PKG_SIGN=""
if [ -n "${MACOS_INSTALLER_IDENTITY:-}" ]; then
    PKG_SIGN="--sign $MACOS_INSTALLER_IDENTITY"
fi
# shellcheck disable=SC2086
pkgbuild --component "$APP" --install-location /Applications --identifier de.kinderstark.lotse \
    --version "$VERSION" $PKG_SIGN "dist/Lotse-$VERSION.pkg"

if [ -n "${MACOS_NOTARY_PROFILE:-}" ]; then
    for artefact in "dist/Lotse-$VERSION.dmg" "dist/Lotse-$VERSION.pkg"; do
        xcrun notarytool submit "$artefact" --keychain-profile "$MACOS_NOTARY_PROFILE" --wait
        xcrun stapler staple "$artefact"
    done
fi
echo "build-dmg: dist/Lotse-$VERSION.dmg and dist/Lotse-$VERSION.pkg"
