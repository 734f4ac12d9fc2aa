"""Heute's data-protection lists: "Einwilligung fehlt" and the retention period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from lotse.policy import Policy, set_current_policy
from lotse.ui.main_window import MainWindow
from lotse.usecases import VaultAPI

Settle = Callable[[], None]
Modal = Callable[..., None]

RECORDS = (
    '{"format": "lotse.records/1"}\n'
    '{"type": "family", "id": "sheet-1", "adults": 1, "children": [],'
    ' "person": {"name": "Aus Der Tabelle"}}\n'
    '{"type": "family", "id": "old-1", "adults": 1, "children": [], "closed": "2019-01-31"}\n'
)


def _import(api: VaultAPI, tmp_path: Path) -> None:
    path = tmp_path / "sheet.jsonl"
    path.write_text(RECORDS, encoding="utf-8")
    api.records.import_file(path)


def test_missing_consent_is_listed_and_opens_the_family(
    api: VaultAPI, main_window: MainWindow, qtbot: QtBot, settle: Settle, tmp_path: Path
) -> None:
    _import(api, tmp_path)
    today = main_window.today
    today.reload()
    settle()
    lists = today.data_protection
    assert lists.missing_view.isVisibleTo(today)
    assert lists.missing.rowCount() == 1
    assert lists.missing.row_at(0).cells[1] == "Aus Der Tabelle"
    assert not lists.retention_view.isVisibleTo(today)  # no period set
    opened: list[int] = []
    today.open_family.connect(opened.append)
    lists.missing_view.activated.emit(lists.missing.index(0, 0))
    assert opened == [lists.missing.row_at(0).payload]


def test_due_families_are_erased_when_the_navigator_confirms(
    api: VaultAPI,
    main_window: MainWindow,
    qtbot: QtBot,
    settle: Settle,
    on_modal: Modal,
    tmp_path: Path,
) -> None:
    _import(api, tmp_path)
    set_current_policy(Policy(defaults={"retention_months": 24}))
    today = main_window.today
    today.reload()
    settle()
    lists = today.data_protection
    assert lists.retention.rowCount() == 1 and lists.erase_button.isVisibleTo(today)
    assert "bestätigen" in lists.retention_text.text()

    def yes(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        [erase] = [b for b in box.buttons() if b.text() == "Löschen"]
        erase.click()

    def done(box: QWidget) -> None:
        assert isinstance(box, QMessageBox) and "1 Familie gelöscht" in box.text()
        box.accept()

    on_modal(yes, QMessageBox)
    qtbot.mouseClick(lists.erase_button, Qt.MouseButton.LeftButton)
    on_modal(done, QMessageBox)
    qtbot.waitUntil(lambda: len(api.families.rows()) == 1, timeout=10000)
    settle()
    assert lists.retention.rowCount() == 0


def test_a_locked_period_is_announced_without_a_button(
    api: VaultAPI, main_window: MainWindow, settle: Settle, tmp_path: Path
) -> None:
    closed = dt.date.today() - dt.timedelta(days=350)
    path = tmp_path / "closing.jsonl"
    path.write_text(
        '{"format": "lotse.records/1"}\n'
        '{"type": "family", "id": "soon", "adults": 1, "children": [],'
        f' "closed": "{closed.isoformat()}"}}\n',
        encoding="utf-8",
    )
    api.records.import_file(path)
    set_current_policy(Policy(locked={"retention_months": 12}))
    today = main_window.today
    today.reload()
    settle()
    lists = today.data_protection
    assert lists.retention.rowCount() == 1
    assert not lists.erase_button.isVisibleTo(today)
    assert "Vom Administrator festgelegt" in lists.retention_text.text()
