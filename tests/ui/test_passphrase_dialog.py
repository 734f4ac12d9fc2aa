"""Passphrase fields (estimate, suggestion, clipboard) and Datei → Passphrase ändern …

The change runs on a real vault; the offered key rotation really re-encrypts it, and an
old copy of the header is tried afterwards.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from lotse.errors import VaultDamagedError, WrongPassphraseError
from lotse.policy import Policy, set_current_policy
from lotse.ui.main_window import MainWindow
from lotse.ui.passphrase_dialog import NewPassphraseFields, PassphraseDialog
from lotse.usecases import VaultAPI
from lotse.vault import header as hdr
from lotse.vault import open_vault
from tests.conftest import PASSPHRASE

NEW = "Wolkenbruch-Marmelade-Kompass-Dachrinne"


@pytest.fixture
def fields(qtbot: QtBot) -> NewPassphraseFields:
    widget = NewPassphraseFields(12)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_estimate_and_rule_follow_the_typing(fields: NewPassphraseFields, qtbot: QtBot) -> None:
    qtbot.keyClicks(fields.first, "kurz")
    assert "mindestens 12 Zeichen" in fields.rule.text()
    fields.first.setText("Sommer2026!!")
    # zxcvbn calls it "gut"; Lotse's bar is higher, and the meter says so.
    assert fields.meter.value() == 3
    assert fields.meter.text() == "gut – reicht nicht"
    assert "zu leicht zu erraten" in fields.rule.text()
    assert "ein häufiges Wort oder ein Name" in fields.rule.text()
    fields.first.setText("aaaaaaaaabcd")
    assert "Wiederholungen" in fields.rule.text() and fields.meter.value() == 1
    fields.first.setText(NEW)
    assert fields.meter.text() == "stark" and fields.meter.value() == 4
    assert fields.rule.text() == "Geben Sie die Passphrase zur Bestätigung noch einmal ein."
    fields.second.setText(NEW[:-1])
    assert fields.rule.text() == "Die beiden Eingaben stimmen nicht überein."
    assert not fields.is_complete()
    fields.second.setText(NEW)
    assert fields.rule.text() == "Die Passphrase erfüllt alle Regeln."
    assert fields.is_complete()


def test_the_policy_minimum_applies(qtbot: QtBot, api: VaultAPI) -> None:
    set_current_policy(Policy(locked={"min_passphrase_length": 45}))
    dialog = PassphraseDialog(api)
    qtbot.addWidget(dialog)
    assert dialog.fields.min_length == 45
    dialog.fields.first.setText(NEW)
    dialog.fields.second.setText(NEW)
    assert "mindestens 45 Zeichen" in dialog.fields.rule.text()
    dialog.old.setText(PASSPHRASE)
    assert not dialog.ok_button.isEnabled()


def test_suggestion_is_shown_to_write_down_and_must_be_typed_again(
    fields: NewPassphraseFields, qtbot: QtBot
) -> None:
    qtbot.mouseClick(fields.suggest_button, Qt.MouseButton.LeftButton)
    words = fields.first.text()
    assert len(words.split("-")) == 5
    assert fields.suggestion.isVisible() and words in fields.suggestion.text()
    # Shown, not selectable: nothing of it goes to the clipboard from the label.
    assert fields.suggestion.textInteractionFlags() == Qt.TextInteractionFlag.NoTextInteraction
    assert fields.second.text() == "" and not fields.is_complete()
    fields.second.setText(words)
    assert fields.is_complete() and fields.meter.text() == "stark"
    # Typing over the suggestion hides it: the words shown no longer apply.
    fields.first.setText(words + "x")
    assert not fields.suggestion.isVisible() and fields.suggestion.text() == ""


def test_passphrase_fields_copy_nothing_and_forget_clears_the_clipboard(
    fields: NewPassphraseFields,
) -> None:
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("vorher")
    fields.suggest()
    fields.first.selectAll()
    fields.first.copy()  # a password field does not copy
    assert clipboard.text() == "vorher"
    # Typed out of the label by hand and copied elsewhere: cleared when the fields are done.
    clipboard.setText(fields.first.text())
    fields.forget()
    assert clipboard.text() == ""
    assert fields.first.text() == "" and not fields.suggestion.isVisible()
    clipboard.setText("fremder Text")
    fields.forget()
    assert clipboard.text() == "fremder Text"  # not Lotse's: left alone


def test_wrong_old_passphrase_keeps_the_dialog_open(
    qtbot: QtBot, api: VaultAPI, vault_dir: Path
) -> None:
    dialog = PassphraseDialog(api)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.old.setText("falsch-falsch-falsch")
    dialog.fields.first.setText(NEW)
    dialog.fields.second.setText(NEW)
    assert dialog.ok_button.isEnabled()
    dialog.accept()
    assert dialog.is_saving() and dialog.progress.isVisible()
    qtbot.waitUntil(lambda: not dialog.is_saving(), timeout=10000)
    assert dialog.message.text() == "Die bisherige Passphrase ist falsch."
    assert dialog.isVisible() and dialog.old.hasSelectedText()
    api.close()
    open_vault(vault_dir, PASSPHRASE).close()  # unchanged


def _fill_change(old: str, new: str) -> Callable[[PassphraseDialog], None]:
    def fill(dialog: PassphraseDialog) -> None:
        dialog.old.setText(old)
        dialog.fields.first.setText(new)
        dialog.fields.second.setText(new)
        dialog.accept()  # closes itself once the header has the new passphrase

    return fill


def _answer(button_text: str, said: list[str] | None = None) -> Callable[[QMessageBox], None]:
    def click(box: QMessageBox) -> None:
        if said is not None:
            said.append(box.text() + "\n" + box.informativeText())
        for button in box.buttons():
            if button.text() == button_text:
                button.click()
                return
        raise AssertionError(f"no button {button_text!r} in {box.text()!r}")

    return click


def test_change_then_rotate_the_data_key(
    main_window: MainWindow,
    api: VaultAPI,
    vault_dir: Path,
    tmp_path: Path,
    qtbot: QtBot,
    on_modal,
    settle,
    add_family,
) -> None:
    add_family("Wiebke Quarz")
    old_header = tmp_path / "old-header.json"
    shutil.copy2(vault_dir / hdr.HEADER_NAME, old_header)
    asked: list[str] = []
    done: list[str] = []

    def fill(dialog: PassphraseDialog) -> None:
        on_modal(_answer("Datenschlüssel erneuern", asked), QMessageBox)
        _fill_change(PASSPHRASE, NEW)(dialog)

    on_modal(fill, PassphraseDialog)
    main_window.change_passphrase()
    # The question was asked; the rotation runs behind a modal busy indicator.
    assert asked and "Auch den Datenschlüssel erneuern?" in asked[0]
    assert "Ältere Kopien der Datei lotse-vault.json" in asked[0]
    on_modal(_answer("OK", done), QMessageBox)
    qtbot.waitUntil(lambda: bool(done), timeout=15000)
    assert "Der Datenschlüssel ist erneuert" in done[0]
    settle()
    assert main_window.idle._timer.isActive()  # the idle lock runs again
    assert [row.name for row in api.families.rows()] == ["Wiebke Quarz"]
    api.close()
    with pytest.raises(WrongPassphraseError):
        open_vault(vault_dir, PASSPHRASE)
    open_vault(vault_dir, NEW).close()
    # A copy of the header from before opens nothing any more.
    shutil.copy2(old_header, vault_dir / hdr.HEADER_NAME)
    with pytest.raises(VaultDamagedError):
        open_vault(vault_dir, PASSPHRASE)


def test_change_without_rotation_says_what_old_copies_still_do(
    main_window: MainWindow,
    api: VaultAPI,
    vault_dir: Path,
    tmp_path: Path,
    on_modal,
    settle,
) -> None:
    old_header = tmp_path / "old-header.json"
    shutil.copy2(vault_dir / hdr.HEADER_NAME, old_header)

    def fill(dialog: PassphraseDialog) -> None:
        on_modal(_answer("Nicht jetzt"), QMessageBox)
        _fill_change(PASSPHRASE, NEW)(dialog)

    on_modal(fill, PassphraseDialog)
    main_window.change_passphrase()
    settle()
    assert main_window.statusBar().currentMessage() == "Die Passphrase wurde geändert."
    api.close()
    open_vault(vault_dir, NEW).close()
    # What the question said: an old header copy still opens with the old passphrase.
    shutil.copy2(old_header, vault_dir / hdr.HEADER_NAME)
    open_vault(vault_dir, PASSPHRASE).close()
