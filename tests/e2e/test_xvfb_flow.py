"""The whole app on a real X11 display (run by tests/e2e/test_xvfb.py under xvfb-run).

Unlock by keyboard, a first contact by keyboard, a second one cut by the auto-lock
(``LOTSE_TEST_IDLE_MS``), unlock, restore the draft from the banner, save; after the app
has closed its vault, both families are read through the use-case API.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from lotse.ui.app import LotseApp
from lotse.ui.family_form import FamilyForm
from lotse.ui.main_window import MainWindow
from lotse.usecases import VaultAPI
from lotse.vault import Vault
from tests.conftest import PASSPHRASE

if os.environ.get("LOTSE_XVFB_INNER") != "1":
    pytest.skip("run by tests/e2e/test_xvfb.py under xvfb-run", allow_module_level=True)


def _unlock(app: LotseApp, qtbot: QtBot) -> MainWindow:
    window = app.unlock_window
    assert window is not None
    qtbot.waitExposed(window)
    window.passphrase.clear()
    qtbot.keyClicks(window.passphrase, PASSPHRASE)
    qtbot.keyClick(window.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(app.window, MainWindow), timeout=20000)
    assert isinstance(app.window, MainWindow)
    qtbot.waitExposed(app.window)
    app.window.activateWindow()  # Xvfb has no window manager to do it
    qtbot.waitUntil(app.window.isActiveWindow, timeout=10000)
    return app.window


def _on_form(handler) -> None:
    deadline = time.monotonic() + 30  # a loaded CI machine may take seconds

    def poll() -> None:
        form = QApplication.activeModalWidget()
        if isinstance(form, FamilyForm):
            handler(form)
        elif time.monotonic() < deadline:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)


def _tab_to(qtbot: QtBot, form: FamilyForm, target) -> None:
    for _ in range(150):
        if form.focusWidget() is target:
            return
        qtbot.keyClick(form.focusWidget(), Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target.accessibleName()}")


def test_first_contact_auto_lock_restore_under_x11(
    vault_dir: Path, vault: Vault, qtbot: QtBot
) -> None:
    assert QApplication.platformName() == "xcb"
    vault.close()
    app = LotseApp(vault_dir)
    app.start()
    main = _unlock(app, qtbot)
    done: dict[str, object] = {}

    def first(form: FamilyForm) -> None:
        qtbot.waitUntil(lambda: form.focusWidget() is form.adults, timeout=15000)
        qtbot.keyClicks(form.adults, "2")
        documentation = form.consent_editor.purposes.boxes["documentation"]
        _tab_to(qtbot, form, documentation)
        qtbot.keyClick(documentation, Qt.Key.Key_Space)
        _tab_to(qtbot, form, form.name)
        qtbot.keyClicks(form.name, "Elif Kaya")
        qtbot.keyClick(form.name, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not isValid(form) or not form.isVisible(), timeout=10000)
        done["first"] = True

    _on_form(first)
    qtbot.keyClick(main, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "first" in done, timeout=30000)

    def second(form: FamilyForm) -> None:
        qtbot.waitUntil(lambda: form.focusWidget() is form.adults, timeout=15000)
        qtbot.keyClicks(form.adults, "3")
        qtbot.keyClick(form.adults, Qt.Key.Key_Tab)
        # Nobody types any more: LOTSE_TEST_IDLE_MS locks the window.
        qtbot.waitUntil(lambda: app.api is None, timeout=30000)
        done["locked"] = True

    _on_form(second)
    assert app.api is not None, "locked before the second first contact"
    main.activateWindow()
    qtbot.waitUntil(main.isActiveWindow, timeout=10000)
    qtbot.keyClick(main, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "locked" in done, timeout=40000)

    main = _unlock(app, qtbot)
    qtbot.waitUntil(lambda: main.banner.isVisible(), timeout=10000)

    def restore(form: FamilyForm) -> None:
        done["adults"] = form.adults.value()
        form.adults.setFocus()
        qtbot.keyClick(form.adults, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not isValid(form) or not form.isVisible(), timeout=10000)
        done["saved"] = True

    _on_form(restore)
    main.banner.restore_button.setFocus()
    qtbot.keyClick(main.banner.restore_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "saved" in done, timeout=30000)
    assert done["adults"] == 3
    main.idle.stop()
    app.close_vault()

    api = VaultAPI.open(vault_dir, PASSPHRASE)
    try:
        rows = api.families.rows()
        assert len(rows) == 2
        assert "Elif Kaya" in [row.name for row in rows]
        assert api.drafts.list() == []
    finally:
        api.close()
