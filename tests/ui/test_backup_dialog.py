"""Datei → Sicherung …, the reminder in "Heute", and the restore dialog, on real vault files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from lotse.db.models import VaultStateRow, utcnow
from lotse.policy import Policy, set_current_policy
from lotse.ui.backup_dialog import BackupDialog, BackupReminder, RestoreDialog
from lotse.ui.main_window import MainWindow
from lotse.usecases import VaultAPI
from lotse.usecases.vault_admin import BackupStatus, verify_backup
from lotse.vault import Vault, open_vault
from tests.conftest import PASSPHRASE


@pytest.fixture
def dialog(api: VaultAPI, qtbot: QtBot, settle) -> BackupDialog:
    widget = BackupDialog(api)
    qtbot.addWidget(widget)
    widget.show()
    settle()
    return widget


def _write(dialog: BackupDialog, qtbot: QtBot, target: Path) -> None:
    dialog.path.setText(str(target))
    qtbot.mouseClick(dialog.write_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_saving(), timeout=15000)


def test_backup_is_written_verified_and_reported(
    dialog: BackupDialog, qtbot: QtBot, tmp_path: Path, add_family
) -> None:
    add_family("Wiebke Quarz")
    add_family("Jorinde Pfeffer")
    assert dialog.last.text() == "Von diesem Tresor gibt es noch keine Sicherung."
    assert dialog.path.text().endswith(".lotse")
    target = tmp_path / "sicherung.lotse"
    with qtbot.waitSignal(dialog.backed_up, timeout=15000):
        dialog.path.setText(str(target))
        dialog.write()
        assert dialog.progress.isVisible() and not dialog.write_button.isEnabled()
    assert not dialog.progress.isVisible()
    said = dialog.result.text()
    assert said.startswith(f"Sicherung geschrieben nach {target} (")
    assert "2 Familien" in said and "und geprüft" in said
    assert dialog.last.text().startswith("Letzte Sicherung: ")
    # The file opens with the passphrase, as the message says, and holds both families.
    assert verify_backup(target, PASSPHRASE).families == 2
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_target_beside_the_vault_is_refused_with_its_reason(
    dialog: BackupDialog, qtbot: QtBot, vault_dir: Path
) -> None:
    _write(dialog, qtbot, vault_dir / "sicherung.lotse")
    said = dialog.result.text()
    assert said.startswith("Die Sicherung wurde nicht geschrieben.")
    assert "liegt in einem Tresor-Ordner" in said
    assert "#b3261e" in dialog.result.styleSheet()
    assert not (vault_dir / "sicherung.lotse").exists()
    assert dialog.isVisible() and dialog.write_button.isEnabled()


def test_an_existing_file_is_replaced_only_when_confirmed(
    dialog: BackupDialog, qtbot: QtBot, tmp_path: Path, on_modal
) -> None:
    target = tmp_path / "alt.lotse"
    target.write_bytes(b"ein anderer Inhalt")

    def answer(text: str):
        def click(box: QMessageBox) -> None:
            assert "gibt es schon" in box.text()
            next(b for b in box.buttons() if b.text() == text).click()

        return click

    on_modal(answer("Abbrechen"), QMessageBox)
    _write(dialog, qtbot, target)
    assert target.read_bytes() == b"ein anderer Inhalt" and dialog.result.text() == ""
    on_modal(answer("Ersetzen"), QMessageBox)
    _write(dialog, qtbot, target)
    assert verify_backup(target, PASSPHRASE).families == 0


def test_the_menu_opens_the_dialog(main_window: MainWindow, on_modal) -> None:
    seen: list[str] = []

    def look(dialog: BackupDialog) -> None:
        seen.append(dialog.windowTitle())
        dialog.reject()

    on_modal(look, BackupDialog)
    action = next(a for a in main_window.actions() if a.text() == "Si&cherung …")
    action.trigger()
    assert seen == ["Sicherung"]
    assert any(a.text() == "Passph&rase ändern …" for a in main_window.actions())


def test_today_reminds_until_a_backup_is_written(
    main_window: MainWindow, qtbot: QtBot, tmp_path: Path, on_modal, settle
) -> None:
    reminder = main_window.today.backup_reminder
    assert reminder.isVisible()
    assert reminder.text.text().startswith("Von diesem Tresor gibt es noch keine Sicherung.")

    def back_up(dialog: BackupDialog) -> None:
        dialog.backed_up.connect(lambda _info: dialog.reject())
        dialog.path.setText(str(tmp_path / "s.lotse"))
        dialog.write()

    on_modal(back_up, BackupDialog)
    qtbot.mouseClick(reminder.button, Qt.MouseButton.LeftButton)
    settle()
    assert not reminder.isVisible()
    assert reminder.status is not None and not reminder.status.due
    main_window.lock()
    assert reminder.text.text() == "" and reminder.status is None


def test_reminder_text_counts_the_days(api: VaultAPI, qtbot: QtBot) -> None:
    reminder = BackupReminder(api)
    qtbot.addWidget(reminder)
    now = dt.datetime.now(dt.UTC)
    reminder.show_status(BackupStatus(now - dt.timedelta(days=9, hours=1), 7, True))
    assert reminder.text.text().startswith("Ihre letzte Sicherung ist 9 Tage alt.")
    reminder.show_status(BackupStatus(now - dt.timedelta(hours=2), 7, False))
    assert reminder.isHidden()


def test_the_policy_interval_decides_when_today_reminds(
    main_window: MainWindow, vault: Vault, settle
) -> None:
    # A backup three days ago (as backup_vault records it: naive UTC in vault_state).
    with vault.transaction() as session:
        row = session.get(VaultStateRow, 1)
        assert row is not None
        row.last_backup_at = utcnow() - dt.timedelta(days=3, hours=1)
    reminder = main_window.today.backup_reminder
    main_window.today.reload()
    settle()
    assert not reminder.isVisible()  # built-in: 7 days
    set_current_policy(Policy(locked={"backup_reminder_days": 2}))
    main_window.today.reload()
    settle()
    assert reminder.isVisible()
    assert reminder.text.text().startswith("Ihre letzte Sicherung ist 3 Tage alt.")


def test_restore_dialog_refuses_a_wrong_passphrase_then_restores(
    api: VaultAPI, qtbot: QtBot, tmp_path: Path, add_family
) -> None:
    add_family("Wiebke Quarz")
    api.vault_admin.backup(tmp_path / "s.lotse")
    target = tmp_path / "neu"
    dialog = RestoreDialog(target)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path.setText(str(tmp_path / "s.lotse"))
    dialog.start()
    assert dialog.message.text() == "Bitte geben Sie die Passphrase der Sicherung ein."
    dialog.passphrase.setText("falsch-falsch-falsch")
    dialog.start()
    qtbot.waitUntil(lambda: not dialog.is_saving(), timeout=15000)
    assert dialog.message.text().startswith("Die Passphrase ist falsch.")
    assert not target.exists() or not any(target.iterdir())
    dialog.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(dialog.restored, timeout=15000):
        dialog.start()
    assert dialog.outcome is not None and dialog.passphrase.text() == ""
    said = dialog.message.text()
    assert said.startswith("Die Sicherung vom ") and "ist wiederhergestellt." in said
    assert said.endswith("Entsperren Sie den Tresor mit der Passphrase der Sicherung.")
    assert dialog.restore_button.isHidden()
    with open_vault(target, PASSPHRASE) as vault:
        assert VaultAPI(vault).families.rows()[0].name == "Wiebke Quarz"
