"""The first-start wizard: the real strength estimate, a suggested passphrase, the recovery
slot of a policy key, and restoring a backup instead of making a new vault."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import x25519
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from lotse import options
from lotse.crypto import recovery as rcrypto
from lotse.db.models import Family
from lotse.policy import Policy, set_current_policy
from lotse.ui import workers
from lotse.ui.app import LotseApp
from lotse.ui.backup_dialog import RestoreDialog
from lotse.ui.wizard import FirstStartWizard
from lotse.vault import Vault, backup, open_vault
from lotse.vault.recover import recovery_fingerprint
from tests.conftest import PASSPHRASE

NEW = "Wolkenbruch-Marmelade-Kompass-Dachrinne"


def _wizard(folder: Path, qtbot: QtBot) -> FirstStartWizard:
    wizard = FirstStartWizard(folder)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def test_the_passphrase_page_shows_the_estimate(tmp_path: Path, qtbot: QtBot) -> None:
    page = _wizard(tmp_path / "neu", qtbot).passphrase_page
    page.first.setText("Sommer2026!!")  # 12 characters, 4 kinds: counting would pass it
    page.second.setText("Sommer2026!!")
    assert page.meter.text() == "gut – reicht nicht"
    assert "zu leicht zu erraten" in page.rule.text() and not page.isComplete()
    page.first.setText("aaaaaaaaabcd")
    page.second.setText("aaaaaaaaabcd")
    assert page.meter.text() == "schwach – reicht nicht" and not page.isComplete()
    page.first.setText(NEW)
    page.second.setText(NEW)
    assert page.meter.text() == "stark" and page.isComplete()


def test_a_suggested_passphrase_creates_the_vault_and_leaves_no_trace(
    tmp_path: Path, qtbot: QtBot
) -> None:
    folder = tmp_path / "neu"
    wizard = _wizard(folder, qtbot)
    page = wizard.passphrase_page
    page.fields.suggest_button.click()
    words = page.first.text()
    assert page.fields.suggestion.isVisible() and words in page.fields.suggestion.text()
    assert not page.isComplete()  # typed again from the note before going on
    page.second.setText(words)
    assert page.isComplete()
    QGuiApplication.clipboard().setText(words)  # say it went through the clipboard anyway
    wizard.next()
    wizard.accept()
    qtbot.waitUntil(lambda: wizard.api is not None, timeout=15000)
    assert wizard.api is not None
    workers.close_on_vault_thread(wizard.api.close)
    assert QGuiApplication.clipboard().text() == ""
    assert page.first.text() == "" and not page.fields.suggestion.isVisible()
    open_vault(folder, words).close()


def test_cancelling_clears_a_passphrase_from_the_clipboard(tmp_path: Path, qtbot: QtBot) -> None:
    wizard = _wizard(tmp_path / "neu", qtbot)
    wizard.passphrase_page.first.setText(NEW)
    QGuiApplication.clipboard().setText(NEW)
    wizard.reject()
    assert QGuiApplication.clipboard().text() == ""


def test_a_vault_made_by_the_wizard_has_the_policy_recovery_slot(
    tmp_path: Path, qtbot: QtBot
) -> None:
    private = x25519.X25519PrivateKey.generate()
    pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    set_current_policy(
        Policy(
            locked={"recovery_public_key": options.validate("recovery_public_key", pem.decode())}
        )
    )
    folder = tmp_path / "neu"
    wizard = _wizard(folder, qtbot)
    wizard.passphrase_page.first.setText(NEW)
    wizard.passphrase_page.second.setText(NEW)
    wizard.accept()
    qtbot.waitUntil(lambda: wizard.api is not None, timeout=15000)
    assert wizard.api is not None
    workers.close_on_vault_thread(wizard.api.close)
    assert recovery_fingerprint(folder) == rcrypto.fingerprint(private.public_key())


def test_the_wizard_offers_restoring_only_on_its_first_page(tmp_path: Path, qtbot: QtBot) -> None:
    wizard = _wizard(tmp_path / "neu", qtbot)
    restore_button = wizard.button(wizard.WizardButton.CustomButton1)
    assert restore_button.isVisible()
    assert restore_button.text() == "Aus Sicherung wiederherstellen …"
    wizard.passphrase_page.first.setText(NEW)
    wizard.passphrase_page.second.setText(NEW)
    wizard.next()
    assert not restore_button.isVisible()
    wizard.back()
    assert restore_button.isVisible()


def test_the_wizard_restores_a_backup_on_a_new_machine(
    vault: Vault, tmp_path: Path, qtbot: QtBot, on_modal
) -> None:
    with vault.transaction() as session:
        session.add(Family(code="F-2026-0001", adults=1, person_name="Wiebke Quarz"))
    backup.backup_vault(vault, tmp_path / "s.lotse")
    folder = tmp_path / "neuer-rechner"
    app = LotseApp(folder)
    app.start()
    wizard = app.wizard
    assert isinstance(wizard, FirstStartWizard)
    qtbot.addWidget(wizard)

    def restore(dialog: RestoreDialog) -> None:
        dialog.path.setText(str(tmp_path / "s.lotse"))
        dialog.passphrase.setText(PASSPHRASE)
        dialog.restored.connect(lambda _result: dialog.accept())
        dialog.start()

    on_modal(restore, RestoreDialog)
    wizard.button(wizard.WizardButton.CustomButton1).click()
    assert wizard.restored_from_backup and not wizard.isVisible() and wizard.api is None
    # No new vault: the unlock window asks for the backup's passphrase.
    assert app.unlock_window is not None and app.unlock_window.isVisible()
    qtbot.addWidget(app.unlock_window)
    with open_vault(folder, PASSPHRASE) as restored, restored.session() as session:
        assert list(session.scalars(select(Family.person_name))) == ["Wiebke Quarz"]
