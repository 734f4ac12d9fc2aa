"""Issue 9 in the window: drafts across the lock, Esc asks, a safe Enter and Tab chain,
dialogs that name their family, and the view coming back after unlocking."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from lotse.ui.app import LotseApp
from lotse.ui.family_form import FamilyForm
from lotse.ui.followup_dialogs import ContactDialog
from lotse.ui.main_window import MainWindow
from lotse.usecases import VaultAPI
from lotse.vault import Vault
from tests.conftest import PASSPHRASE

# The issue-9 window work (drafts in the form, the banner, the view at the lock) is written
# in family_form.py and main_window.py beside the consent widget of issue 11; until those
# are committed together, these tests would test the form of the commit before.
if not hasattr(FamilyForm, "is_empty_first_contact") or not hasattr(MainWindow, "view_state"):
    pytest.skip(
        "issue-9 window work in family_form.py/main_window.py not committed yet",
        allow_module_level=True,
    )

Modal = Callable[..., None]
Settle = Callable[[], None]
AddFamily = Callable[..., int]


def _unlocked(folder: Path, qtbot: QtBot, app: LotseApp | None = None) -> MainWindow:
    if app is None:
        app = LotseApp(folder)
        app.start()
    window = app.unlock_window
    assert window is not None
    qtbot.addWidget(window)
    window.passphrase.clear()
    qtbot.keyClicks(window.passphrase, PASSPHRASE)
    qtbot.keyClick(window.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(app.window, MainWindow), timeout=10000)
    assert isinstance(app.window, MainWindow)
    return app.window


def _when_form(handler: Callable[[FamilyForm], None]) -> None:
    """Run ``handler`` on the next family form shown modally (it is left to the handler)."""

    deadline = time.monotonic() + 30  # a loaded CI machine may take seconds

    def poll() -> None:
        form = QApplication.activeModalWidget()
        if not isinstance(form, FamilyForm):
            if time.monotonic() < deadline:
                QTimer.singleShot(10, poll)
            return
        handler(form)

    QTimer.singleShot(0, poll)


def test_auto_lock_keeps_the_half_filled_form_and_the_banner_restores_it(
    vault_dir: Path, vault: Vault, qtbot: QtBot
) -> None:
    vault.close()
    app = LotseApp(vault_dir)
    app.start()
    main = _unlocked(vault_dir, qtbot, app)
    main.idle.set_timeout_ms(600_000)
    seen: dict[str, object] = {}

    def half_fill_then_idle(form: FamilyForm) -> None:
        form.adults.setValue(3)
        qtbot.keyClicks(form.languages, "tr")
        main.idle.set_timeout_ms(1500)  # the navigator talks; nobody types
        main.idle.start()
        qtbot.waitUntil(lambda: app.api is None, timeout=10000)
        seen["closed"] = not isValid(form) or not form.isVisible()

    _when_form(half_fill_then_idle)
    main.new_first_contact()
    qtbot.waitUntil(lambda: "closed" in seen, timeout=15000)
    assert seen["closed"] is True
    assert app.window is None and app.unlock_window is not None

    main = _unlocked(vault_dir, qtbot, app)
    main.idle.set_timeout_ms(600_000)
    qtbot.waitUntil(lambda: main.banner.isVisible(), timeout=10000)
    assert "Erstkontakt" in main.banner.text.text()

    def restore_and_save(form: FamilyForm) -> None:
        seen["adults"] = form.adults.value()
        seen["languages"] = form.languages.text()
        form.save_button.click()
        try:
            qtbot.waitUntil(lambda: not isValid(form) or not form.isVisible(), timeout=15000)
        finally:
            if isValid(form) and form.isVisible():
                modal = QApplication.activeModalWidget()
                seen["problems"] = f"{form.problems.text()} {modal!r} {form.is_saving()}"
                if isinstance(modal, QMessageBox):
                    seen["problems"] += modal.text()
                    modal.reject()
                form.close_for_lock()

    _when_form(restore_and_save)
    main.banner.restore_button.click()
    api = app.api
    assert api is not None
    qtbot.waitUntil(lambda: "adults" in seen, timeout=10000)
    assert app.api is api, "locked again"
    qtbot.waitUntil(lambda: "problems" in seen or len(api.families.rows()) == 1, timeout=15000)
    assert "problems" not in seen, seen.get("problems")
    assert (seen["adults"], seen["languages"]) == (3, "tr")
    qtbot.waitUntil(lambda: not api.drafts.list(), timeout=10000)
    main.idle.stop()
    app.close_vault()


def test_ctrl_l_in_a_modal_form_locks_and_keeps_the_draft(
    vault_dir: Path, vault: Vault, qtbot: QtBot
) -> None:
    vault.close()
    app = LotseApp(vault_dir)
    app.start()
    main = _unlocked(vault_dir, qtbot, app)
    main.idle.set_timeout_ms(600_000)
    done: list[bool] = []

    def type_then_lock(form: FamilyForm) -> None:
        form.adults.setValue(4)
        qtbot.keyClick(form.adults, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: app.api is None, timeout=15000)
        done.append(not isValid(form) or not form.isVisible())

    _when_form(type_then_lock)
    main.new_first_contact()
    qtbot.waitUntil(lambda: bool(done), timeout=15000)
    assert done == [True]
    assert app.api is None and app.unlock_window is not None
    main = _unlocked(vault_dir, qtbot, app)
    qtbot.waitUntil(lambda: main.banner.isVisible(), timeout=10000)
    api = app.api
    assert api is not None and len(api.drafts.list()) == 1
    main.idle.stop()
    app.close_vault()


def test_the_view_comes_back_after_unlocking(
    vault_dir: Path, vault: Vault, qtbot: QtBot, add_family: AddFamily
) -> None:
    add_family("Anna Schaefer")
    wanted = add_family("Berta Schaefer")
    add_family("Clara Meier")
    vault.close()
    app = LotseApp(vault_dir)
    app.start()
    main = _unlocked(vault_dir, qtbot, app)
    main.idle.set_timeout_ms(600_000)
    main.tabs.setCurrentWidget(main.families)
    qtbot.waitUntil(lambda: main.families.model.rowCount() == 3, timeout=10000)
    main.families.search.setText("Schaefer")
    qtbot.waitUntil(lambda: main.families.model.rowCount() == 2, timeout=10000)
    main.families.select_family(wanted)
    qtbot.waitUntil(lambda: main.families.detail.wanted_id() == wanted, timeout=10000)
    qtbot.keyClick(main, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: app.api is None, timeout=10000)

    main = _unlocked(vault_dir, qtbot, app)
    qtbot.waitUntil(lambda: main.families.detail.wanted_id() == wanted, timeout=10000)
    assert main.tabs.currentWidget() is main.families
    assert main.families.search.text() == "Schaefer"
    main.idle.stop()
    app.close_vault()


def test_esc_on_a_changed_form_asks(
    api: VaultAPI, main_window: MainWindow, qtbot: QtBot, on_modal: Modal
) -> None:
    unchanged = FamilyForm(api, parent=main_window)
    unchanged.show()
    qtbot.keyClick(unchanged.adults, Qt.Key.Key_Escape)
    assert not unchanged.isVisible()  # nothing typed: nothing to ask about

    form = FamilyForm(api, parent=main_window)
    form.show()
    form.adults.setValue(2)
    asked: list[str] = []

    def keep_editing(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        box.escapeButton().click()

    on_modal(keep_editing, QMessageBox)
    qtbot.keyClick(form.adults, Qt.Key.Key_Escape)
    assert asked and "nicht gespeichert" in asked[0]
    assert form.isVisible() and form.adults.value() == 2

    def discard(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        (button,) = [b for b in box.buttons() if b.text() == "Verwerfen"]
        button.click()

    on_modal(discard, QMessageBox)
    qtbot.keyClick(form.adults, Qt.Key.Key_Escape)
    assert len(asked) == 2 and not form.isVisible()


def test_enter_on_add_child_adds_a_child_and_does_not_save(
    api: VaultAPI, main_window: MainWindow, qtbot: QtBot, settle: Settle, on_modal: Modal
) -> None:
    form = FamilyForm(api, parent=main_window)
    form.show()
    form.activateWindow()
    qtbot.waitExposed(form)
    asked: list[str] = []
    on_modal(lambda box: asked.append(box.windowTitle()), QMessageBox)
    form.children.add_button.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.children.add_button, timeout=15000)
    qtbot.keyClick(form.children.add_button, Qt.Key.Key_Return)
    assert len(form.children.rows) == 1
    assert not form.is_saving() and form.isVisible() and asked == []
    settle()
    assert api.families.rows() == []
    form.close_for_lock()


def test_saving_an_empty_first_contact_asks_first(
    api: VaultAPI, main_window: MainWindow, qtbot: QtBot, on_modal: Modal, settle: Settle
) -> None:
    form = FamilyForm(api, parent=main_window)
    form.show()
    titles: list[str] = []

    def back(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        titles.append(box.windowTitle())
        box.escapeButton().click()

    on_modal(back, QMessageBox)
    form.save()
    assert titles == ["Leeren Erstkontakt speichern?"]
    assert form.isVisible() and not form.is_saving()
    settle()
    assert api.families.rows() == []
    form.adults.setValue(2)  # household data: no question any more
    form.save()
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=10000)
    assert titles == ["Leeren Erstkontakt speichern?"]
    assert len(api.families.rows()) == 1


def test_tab_after_adding_a_child_follows_the_visual_order(
    api: VaultAPI, main_window: MainWindow, qtbot: QtBot
) -> None:
    form = FamilyForm(api, parent=main_window)
    form.show()
    form.activateWindow()
    qtbot.waitExposed(form)
    form.adults.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.adults, timeout=15000)
    form.children.add_button.click()
    form.children.add_button.click()
    (_r1, _first, remove1), (_r2, second, remove2) = form.children.rows
    remove1.click()  # removing renumbers and rebuilds the chain
    assert [r[1] for r in form.children.rows] == [second]
    qtbot.waitUntil(
        second.isVisible, timeout=15000
    )  # a row added to a shown form is shown by the loop
    form.adults.setFocus()
    visited: list[QWidget] = []
    for _ in range(14):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        # A date edit's inner line edit stands for the date edit.
        while (
            focused is not None
            and focused.parentWidget() is not None
            and focused not in form.focus_order()
        ):
            focused = focused.parentWidget()
        assert focused is not None and focused.isVisible(), "an invisible Tab stop"
        if not visited or visited[-1] is not focused:  # Tab walks a date's day, month, year
            visited.append(focused)
    assert visited[:4] == [second, remove2, form.children.add_button, form.district]
    assert isinstance(visited[1], QPushButton)
    form.close_for_lock()


def test_dialogs_name_their_family(
    main_window: MainWindow,
    add_family: AddFamily,
    api: VaultAPI,
    qtbot: QtBot,
    on_modal: Modal,
    settle: Settle,
) -> None:
    family_id = add_family("Anna Schaefer")
    code = api.families.get(family_id).code
    main_window.refresh()
    settle()
    main_window.open_family(family_id)
    qtbot.waitUntil(lambda: main_window.families.detail.family_id == family_id, timeout=10000)
    settle()
    titles: list[str] = []

    def read(dialog: QWidget) -> None:
        titles.append(dialog.windowTitle())

    on_modal(read, ContactDialog)
    main_window.families.detail.add_contact()
    qtbot.waitUntil(lambda: bool(titles), timeout=10000)
    assert code in titles[0] and "Anna Schaefer" in titles[0]


def test_the_detail_pane_clears_when_the_search_filters_the_family_out(
    main_window: MainWindow, add_family: AddFamily, qtbot: QtBot, settle: Settle
) -> None:
    family_id = add_family("Anna Schaefer")
    add_family("Clara Meier")
    main_window.refresh()
    settle()
    main_window.open_family(family_id)
    detail = main_window.families.detail
    qtbot.waitUntil(lambda: detail.wanted_id() == family_id, timeout=10000)
    main_window.families.search.setText("Meier")
    qtbot.waitUntil(lambda: main_window.families.model.rowCount() == 1, timeout=10000)
    qtbot.waitUntil(lambda: detail.wanted_id() != family_id, timeout=10000)
