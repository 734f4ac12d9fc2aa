"""One gettext catalogue for core, CLI, reports and UI: German source, English translation."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from lotse import i18n
from lotse.catalogues import REFERRAL_TARGETS
from lotse.i18n import _, detect_language

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "de"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "de"),
        ({"LANG": "fr_FR.UTF-8"}, "de"),
        ({"LANG": "C.UTF-8"}, "de"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "de_DE.UTF-8"}, "en"),
        ({"LANGUAGE": "de:en", "LC_ALL": "en_US.UTF-8"}, "de"),
        ({"LOTSE_LANG": "en", "LANG": "de_DE.UTF-8"}, "en"),
    ],
)
def test_language_from_environment(env: dict[str, str], expected: str) -> None:
    assert detect_language(env) == expected


def test_english_catalogue_translates_a_real_string() -> None:
    assert i18n.catalogue_loaded("en")
    i18n.set_language("en")
    assert _("Die Passphrase ist falsch.") == "The passphrase is wrong."
    assert REFERRAL_TARGETS.label("family_midwife") == "Family midwife"
    i18n.set_language("de")
    assert _("Die Passphrase ist falsch.") == "Die Passphrase ist falsch."
    assert REFERRAL_TARGETS.label("family_midwife") == "Familienhebamme"


def test_language_change_listeners_are_told() -> None:
    heard: list[str] = []
    i18n.on_language_changed(heard.append)
    i18n.set_language("en")
    i18n.set_language("de")
    assert heard[-2:] == ["en", "de"]


def test_every_visible_string_has_an_english_translation() -> None:
    spec = importlib.util.spec_from_file_location(
        "build_translations", ROOT / "tools" / "build_translations.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.missing_english() == []


def test_c_locale_on_linux_means_german(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("LOTSE_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setattr("sys.platform", "linux")
    assert detect_language() == "de"
