"""The installer recipes: spec, .deb scripts, .desktop entry, WiX source, policy example."""

from __future__ import annotations

import configparser
import os
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from lotse import settings
from lotse.policy import RULES, read_policy

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


# --- PyInstaller spec ---


class _Recorder:
    """Stands in for PyInstaller's build steps and records what the spec asks of them."""

    calls: dict[str, list[tuple[tuple[Any, ...], dict[str, Any]]]]

    def __init__(self) -> None:
        self.calls = {}

    def step(self, name: str) -> Any:
        recorder = self

        class Step:
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                recorder.calls.setdefault(name, []).append((args, kwargs))
                self.datas: list[tuple[str, str, str]] = [
                    ("PySide6/Qt/translations/qtbase_de.qm", "x", "DATA"),
                    ("PySide6/Qt/translations/qtbase_fr.qm", "x", "DATA"),
                ]
                self.binaries = [
                    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "x", "BINARY"),
                    ("libcairo.so.2", "x", "BINARY"),
                    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", "x", "BINARY"),
                ]
                self.scripts: list[Any] = []
                self.pure: list[Any] = []

        return Step


@pytest.fixture(scope="module")
def spec() -> tuple[dict[str, Any], _Recorder]:
    pytest.importorskip("PyInstaller", reason="the 'package' extra is not installed")
    recorder = _Recorder()
    namespace: dict[str, Any] = {"SPECPATH": str(PACKAGING), "__name__": "spec"}
    for name in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE"):
        namespace[name] = recorder.step(name)
    source = (PACKAGING / "lotse.spec").read_text(encoding="utf-8")
    exec(compile(source, "lotse.spec", "exec"), namespace)
    return namespace, recorder


def _used_qt_modules() -> set[str]:
    used: set[str] = set()
    for source in (ROOT / "lotse").rglob("*.py"):
        used.update(re.findall(r"PySide6\.(Qt\w+)", source.read_text(encoding="utf-8")))
    return used


def test_spec_excludes_qml_quick_and_every_unused_qt_module(spec: Any) -> None:
    _namespace, recorder = spec
    ((_args, analysis),) = recorder.calls["Analysis"]
    excludes = set(analysis["excludes"])
    for unwanted in ("PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets"):
        assert unwanted in excludes
    assert not any(f"PySide6.{used}" in excludes for used in _used_qt_modules())
    assert "PySide6.QtWidgets" not in excludes


def test_spec_bundles_compiled_translations_fonts_and_migrations(spec: Any) -> None:
    _namespace, recorder = spec
    ((_args, analysis),) = recorder.calls["Analysis"]
    datas = {(Path(src).relative_to(ROOT).as_posix(), dest) for src, dest in analysis["datas"]}
    assert (
        "resources/translations/en/LC_MESSAGES/lotse.mo",
        "resources/translations/en/LC_MESSAGES",
    ) in datas
    assert not any(src.endswith(".po") for src, _dest in datas)
    assert any(src.startswith("lotse/db/migrations/versions/") for src, _dest in datas)
    assert ("lotse/db/migrations/env.py", "lotse/db/migrations") in datas
    for font in (ROOT / "resources" / "fonts").glob("*.ttf"):
        assert (font.relative_to(ROOT).as_posix(), "resources/fonts") in datas
    # Commands imported only by name at run time must be in the bundle.
    assert {"lotse.cli.smoke_cmd", "lotse.cli.policy_cmd"} <= set(analysis["hiddenimports"])


def test_spec_trims_qt_translations_and_the_gtk_theme(spec: Any) -> None:
    namespace, _recorder = spec
    analysis = namespace["a"]
    assert [d[0] for d in analysis.datas] == ["PySide6/Qt/translations/qtbase_de.qm"]
    assert [b[0] for b in analysis.binaries] == ["PySide6/Qt/plugins/platforms/libqoffscreen.so"]


def test_spec_builds_one_folder_named_lotse(spec: Any) -> None:
    _namespace, recorder = spec
    ((_args, collect),) = recorder.calls["COLLECT"]
    assert collect["name"] == "lotse"
    _exe_args, exe = recorder.calls["EXE"][0]
    assert exe["exclude_binaries"] is True  # one folder, not one file
    if sys.platform.startswith("linux"):
        assert exe["name"] == "lotse" and exe["console"] is True


# --- Linux package ---


def test_desktop_entry() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(PACKAGING / "linux" / "lotse.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Exec"] == "lotse"
    assert desktop["Icon"] == "lotse"
    assert desktop["Terminal"] == "false"
    assert desktop["Categories"].endswith(";")
    assert desktop["Name"] == "Lotse"
    assert "Comment[de]" in desktop


def test_icon_is_an_svg() -> None:
    root = ET.parse(ROOT / "resources" / "icons" / "lotse.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 256 256"


@pytest.mark.parametrize(
    "script",
    ["linux/build-deb.sh", "linux/test-deb.sh", "linux/lotse-wrapper.sh", "macos/build-dmg.sh"],
)
def test_shell_scripts_parse(script: str) -> None:
    done = subprocess.run(["sh", "-n", str(PACKAGING / script)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_deb_recipe_installs_to_opt_with_the_measured_depends() -> None:
    script = (PACKAGING / "linux" / "build-deb.sh").read_text(encoding="utf-8")
    assert "dpkg-deb --root-owner-group" in script
    assert '"$STAGE/opt/lotse"' in script
    assert (
        "Depends: libc6 (>= $GLIBC), libgl1, libegl1, fontconfig-config, fonts-dejavu-core"
        in script
    )
    wrapper = (PACKAGING / "linux" / "lotse-wrapper.sh").read_text(encoding="utf-8")
    assert 'exec /opt/lotse/lotse "$@"' in wrapper


# --- Windows ---


def test_wix_source_is_a_silent_per_machine_package() -> None:
    ns = {"w": "http://wixtoolset.org/schemas/v4/wxs"}
    root = ET.parse(PACKAGING / "windows" / "lotse.wxs").getroot()
    package = root.find("w:Package", ns)
    assert package is not None
    assert package.get("Scope") == "perMachine"  # ALLUSERS=1
    assert root.find(".//w:UIRef", ns) is None  # no dialogs that could ask anything
    assert root.find(".//w:MajorUpgrade", ns) is not None
    shortcut = root.find(".//w:Shortcut", ns)
    assert shortcut is not None and shortcut.get("Target") == "[INSTALLFOLDER]lotsew.exe"


# --- policy example ---


def test_policy_example_validates_and_documents_every_key() -> None:
    example = PACKAGING / "policy.example.toml"
    policy = read_policy(example)
    assert policy.problems == []
    text = example.read_text(encoding="utf-8")
    for key in RULES:
        assert re.search(rf"^(# )?\[?(locked\.|defaults\.)?{key}\b", text, re.M), key
    assert set(RULES) == set(settings.BUILTIN)


# --- icons for Windows and macOS ---


def test_icons_render_to_png_ico_and_icns(tmp_path: Path) -> None:
    # A process of its own: a QGuiApplication here would stand in for the window's
    # QApplication in every later test.
    done = subprocess.run(
        [sys.executable, str(PACKAGING / "make_icons.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr
    png = (tmp_path / "lotse-256.png").read_bytes()
    assert png.startswith(b"\x89PNG") and struct.unpack(">II", png[16:24]) == (256, 256)
    ico = (tmp_path / "lotse.ico").read_bytes()
    assert struct.unpack("<HHH", ico[:6]) == (0, 1, 7)
    icns = (tmp_path / "lotse.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
