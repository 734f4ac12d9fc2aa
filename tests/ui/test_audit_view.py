"""The audit log viewer: a model that passes Qt's model test, the filter and the check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from lotse.ui.audit_view import AuditDialog, AuditModel, details_text
from lotse.ui.main_window import MainWindow
from lotse.usecases import VaultAPI
from lotse.usecases.audit import LogEntry

Settle = Callable[[], None]
Modal = Callable[..., None]


def test_the_model_passes_qts_model_test(qtmodeltester: ModelTester) -> None:
    model = AuditModel()
    qtmodeltester.check(model)
    at = dt.datetime(2026, 11, 20, 8, 30)
    model.set_entries(
        [
            LogEntry(1, at, "vault_created", {}),
            LogEntry(2, at, "family_erased", {"family": "F-2026-0001", "contacts": 2}),
            LogEntry(3, at, "something_new", {"families": [f"F-{n}" for n in range(25)]}),
        ]
    )
    qtmodeltester.check(model)
    assert model.data(model.index(1, 2)) == "Familie gelöscht"
    assert model.data(model.index(1, 3)) == "contacts: 2 · family: F-2026-0001"
    assert model.data(model.index(2, 2)) == "something_new"
    assert model.data(model.index(1, 0), AuditModel.ENTRY_ROLE).id == 2
    assert "… und 5 weitere" in details_text({"families": [str(n) for n in range(25)]})


def test_the_dialog_filters_by_action_and_day_and_checks_the_chain(
    api: VaultAPI, main_window: MainWindow, qtbot: QtBot, settle: Settle
) -> None:
    api.records.export  # noqa: B018  (the log already holds the creation and the unlock)
    dialog = AuditDialog(api, main_window)
    qtbot.addWidget(dialog)
    dialog.show()
    settle()
    actions = [dialog.action.itemData(i) for i in range(dialog.action.count())]
    assert actions[:2] == [None, "vault_created"]
    everything = dialog.model.rowCount()
    assert everything >= 1 and dialog.count.text().endswith(("Eintrag", "Einträge"))
    dialog.action.setCurrentIndex(actions.index("vault_created"))
    settle()
    assert dialog.model.rowCount() == 1
    dialog.until.box.setChecked(True)
    dialog.until.date.set_date(dt.date.today() - dt.timedelta(days=1))
    settle()
    assert dialog.model.rowCount() == 0
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    settle()
    assert dialog.result.isVisible() and "unverändert" in dialog.result.text()


def test_the_menu_opens_the_log(
    main_window: MainWindow, qtbot: QtBot, on_modal: Modal, settle: Settle
) -> None:
    seen: list[int] = []

    def look(dialog: AuditDialog) -> None:
        settle()
        seen.append(dialog.model.rowCount())
        dialog.reject()

    on_modal(look, AuditDialog)
    main_window.open_audit()
    assert seen and seen[0] >= 1
