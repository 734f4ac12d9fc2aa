"""No two entries of a menu, the menu bar or a dialog share a mnemonic (German and English)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QMenu, QWidget
from pytestqt.qtbot import QtBot

from lotse.ui.family_form import FamilyForm
from lotse.ui.followup_dialogs import ContactDialog, ReferralDialog, ReminderDialog
from lotse.ui.main_window import MainWindow
from lotse.ui.qt_i18n import apply_language
from lotse.usecases import VaultAPI

_MNEMONIC = re.compile(r"&([^&\s])")


def _letter(text: str) -> str | None:
    found = _MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).casefold() if found else None


def _clashes(texts: list[str]) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = {}
    for text in texts:
        letter = _letter(text)
        if letter is not None:
            seen.setdefault(letter, []).append(text)
    return {letter: named for letter, named in seen.items() if len(named) > 1}


def _dialog_texts(dialog: QWidget) -> list[str]:
    texts: list[str] = []
    for child in dialog.findChildren(QWidget):
        if not child.isVisibleTo(dialog):
            continue
        if (isinstance(child, QLabel) and child.buddy() is not None) or isinstance(
            child, QAbstractButton
        ):
            texts.append(child.text())
        elif isinstance(child, QGroupBox):
            texts.append(child.title())
    return texts


@pytest.fixture(params=["de", "en"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    apply_language(request.param)
    yield request.param
    apply_language("de")


def test_menus_have_no_duplicate_mnemonics(language: str, api: VaultAPI, qtbot: QtBot) -> None:
    from lotse.ui.app import build_main_window

    window = build_main_window(api)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    bar = window.menuBar()
    titles = [action.text() for action in bar.actions()]
    assert _clashes(titles) == {}, language
    for action in bar.actions():
        menu = action.menu()
        assert isinstance(menu, QMenu)
        texts = [a.text() for a in menu.actions() if not a.isSeparator()]
        assert _clashes(texts) == {}, (language, action.text())
    window.idle.stop()


def test_dialogs_have_no_duplicate_mnemonics(
    language: str, api: VaultAPI, qtbot: QtBot, add_family
) -> None:
    family_id = add_family("Anna Schaefer")
    dialogs: list[QWidget] = [
        FamilyForm(api),
        ContactDialog(api, family_id),
        ReferralDialog(api, family_id),
        ReminderDialog(api, family_id),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        assert _clashes(_dialog_texts(dialog)) == {}, (language, type(dialog).__name__)
        dialog.close_for_lock()  # type: ignore[attr-defined]
