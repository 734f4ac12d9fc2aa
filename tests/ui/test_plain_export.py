"""A records export from the window: passphrase again, no synchronised folder, logged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from lotse.ui.main_window import MainWindow
from lotse.ui.plain_export import PassphraseCheck, suggested_folder
from lotse.usecases import VaultAPI
from tests.conftest import PASSPHRASE

Modal = Callable[..., None]
Settle = Callable[[], None]


def test_the_passphrase_is_asked_again(api: VaultAPI, qtbot: QtBot, settle: Settle) -> None:
    check = PassphraseCheck(api)
    qtbot.addWidget(check)
    check.show()
    check.passphrase.setText("falsch")
    check.check()
    settle()
    assert check.problem.isVisible() and check.result() == 0
    check.passphrase.setText(PASSPHRASE)
    check.check()
    settle()
    assert check.result() == 1


def test_a_synchronised_folder_is_warned_of_and_another_one_chosen(
    api: VaultAPI,
    main_window: MainWindow,
    qtbot: QtBot,
    on_modal: Modal,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    synced = tmp_path / "OneDrive - Stadt" / "export.jsonl"
    synced.parent.mkdir()
    safe = tmp_path / "lokal" / "export.jsonl"
    safe.parent.mkdir()
    offered = iter([str(synced), str(safe)])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (next(offered), ""))
    steps: list[str] = []

    def passphrase(dialog: QWidget) -> None:
        assert isinstance(dialog, PassphraseCheck)
        dialog.passphrase.setText(PASSPHRASE)
        dialog.check()
        on_modal(warned, QMessageBox)

    def warned(box: QWidget) -> None:
        assert isinstance(box, QMessageBox) and "OneDrive - Stadt" in box.text()
        steps.append("warned")
        [other] = [b for b in box.buttons() if b.text() == "Anderen Ordner wählen"]
        other.click()
        on_modal(written, QMessageBox)

    def written(box: QWidget) -> None:
        if "geschrieben" in box.text():
            steps.append("written")
            box.accept()

    on_modal(passphrase, PassphraseCheck)
    main_window.export_records()
    qtbot.waitUntil(lambda: "written" in steps, timeout=10000)
    assert steps == ["warned", "written"]
    assert safe.exists() and not synced.exists()
    [logged] = api.audit.entries(["records_exported"])
    assert logged.details["synced"] is False


def test_the_suggested_folder_is_not_synchronised() -> None:
    assert "OneDrive" not in str(suggested_folder())
