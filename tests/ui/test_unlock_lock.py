"""Unlocking (right and wrong passphrase), first start, and locking by Ctrl+L and idle timer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from lotse.ui.app import LotseApp
from lotse.ui.main_window import MainWindow
from lotse.ui.wizard import FirstStartWizard
from lotse.vault import Vault, open_vault
from lotse.vault.header import HEADER_NAME
from tests.conftest import PASSPHRASE


def _app_on(folder: Path, qtbot: QtBot) -> LotseApp:
    app = LotseApp(folder)
    app.start()
    assert app.unlock_window is not None
    qtbot.addWidget(app.unlock_window)
    app.unlock_window.base_delay_ms = 300
    return app


def _unlock(app: LotseApp, qtbot: QtBot, passphrase: str) -> None:
    window = app.unlock_window
    assert window is not None
    window.passphrase.clear()
    qtbot.keyClicks(window.passphrase, passphrase)
    qtbot.keyClick(window.passphrase, Qt.Key.Key_Return)


def _main(app: LotseApp, qtbot: QtBot) -> MainWindow:
    qtbot.waitUntil(lambda: app.window is not None, timeout=15000)
    assert isinstance(app.window, MainWindow)
    return app.window  # not added to qtbot: locking deletes it


def test_wrong_passphrase_then_right(vault_dir: Path, vault: Vault, qtbot: QtBot) -> None:
    vault.close()
    app = _app_on(vault_dir, qtbot)
    window = app.unlock_window
    assert window is not None
    _unlock(app, qtbot, "wrong-passphrase-123")
    qtbot.waitUntil(lambda: window.failures == 1, timeout=15000)
    assert "Die Passphrase ist falsch." in window.message.text()
    assert "Nächster Versuch in" in window.message.text()
    assert window.is_waiting() and not window.button.isEnabled()
    _unlock(app, qtbot, PASSPHRASE)  # ignored while waiting
    qtbot.wait(50)
    assert app.window is None
    qtbot.waitUntil(lambda: not window.is_waiting(), timeout=15000)
    _unlock(app, qtbot, "wrong-again-123456")
    qtbot.waitUntil(lambda: window.failures == 2, timeout=15000)
    assert window._remaining_ms > 300  # the second wait is longer than the first
    qtbot.waitUntil(lambda: not window.is_waiting(), timeout=15000)
    _unlock(app, qtbot, PASSPHRASE)
    main = _main(app, qtbot)
    assert not window.isVisible()
    assert window.passphrase.text() == ""
    main.idle.stop()
    app.close_vault()


def test_lock_by_shortcut_and_by_idle_timer(
    vault_dir: Path, vault: Vault, qtbot: QtBot, add_family
) -> None:
    add_family("Anna Schäfer")
    vault.close()
    app = _app_on(vault_dir, qtbot)
    _unlock(app, qtbot, PASSPHRASE)
    main = _main(app, qtbot)
    qtbot.waitUntil(lambda: main.families.model.rowCount() == 1, timeout=15000)
    api = app.api
    assert api is not None
    qtbot.keyClick(main, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert app.api is None and app.window is None and api.closed
    assert main.families.model.rowCount() == 0  # cleared before the vault closed
    assert main.families.detail.family_id is None
    assert app.unlock_window is not None and app.unlock_window.isVisible()
    # The vault is really closed: another process could open it now.
    open_vault(vault_dir, PASSPHRASE).close()

    _unlock(app, qtbot, PASSPHRASE)
    main = _main(app, qtbot)
    main.idle.set_timeout_ms(50)
    main.idle.start()
    qtbot.waitUntil(lambda: app.api is None, timeout=15000)
    assert main.is_locked() and main.today.reminders.rowCount() == 0
    assert app.unlock_window.isVisible()


def test_first_start_wizard_creates_vault_and_profile(tmp_path: Path, qtbot: QtBot) -> None:
    folder = tmp_path / "new"
    app = LotseApp(folder)
    app.start()
    wizard = app.wizard
    assert isinstance(wizard, FirstStartWizard)
    qtbot.addWidget(wizard)
    page = wizard.passphrase_page
    qtbot.keyClicks(page.first, "kurz")
    assert "mindestens 12 Zeichen" in page.rule.text()
    assert not page.isComplete()
    qtbot.keyClicks(page.first, "-aber-jetzt-lang")
    qtbot.keyClicks(page.second, "kurz-aber-jetzt-lanX")
    assert page.rule.text() == "Die beiden Eingaben stimmen nicht überein."
    page.second.setText("kurz-aber-jetzt-lang")
    assert page.isComplete()
    assert page.rule.text() == "Die Passphrase erfüllt alle Regeln."
    wizard.next()
    profile = wizard.profile_page
    qtbot.keyClicks(profile.name, "Maria Muster")
    qtbot.keyClicks(profile.site, "EKO")
    profile.service_line.setCurrentIndex(profile.service_line.findData("kita_family_centre"))
    wizard.accept()
    main = _main(app, qtbot)
    assert app.api is not None
    profile = app.api.settings.profile()
    assert (profile.navigator_name, profile.service_line) == ("Maria Muster", "kita_family_centre")
    assert "Maria Muster" in main.status_label.text()
    main.idle.stop()
    app.close_vault()
    open_vault(folder, "kurz-aber-jetzt-lang").close()


def test_a_refused_profile_creates_no_vault(tmp_path: Path, qtbot: QtBot, on_modal) -> None:
    folder = tmp_path / "new"
    wizard = FirstStartWizard(folder)
    qtbot.addWidget(wizard)
    wizard.passphrase_page.first.setText("kurz-aber-jetzt-lang")
    wizard.passphrase_page.second.setText("kurz-aber-jetzt-lang")
    wizard.profile_page.name.setText("Maria\nMuster")  # one line only
    said: list[str] = []

    def read(box: QMessageBox) -> None:
        said.append(box.text())
        box.accept()

    on_modal(read, QMessageBox)
    wizard.accept()
    qtbot.waitUntil(lambda: bool(said) and not wizard.is_creating(), timeout=10000)
    assert wizard.api is None
    assert not (folder / HEADER_NAME).exists()
