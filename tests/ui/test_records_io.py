"""Import and export from the menu: off the UI thread, all-or-nothing errors listed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from lotse.db.models import Family
from lotse.ui.main_window import MainWindow
from lotse.ui.records_io import ProblemsDialog, export_file, import_file
from lotse.vault import Vault

Modal = Callable[..., None]

GOOD = (
    '{"format": "lotse.records/1"}\n'
    '{"type": "family", "id": "f-1", "adults": 2, "children": []}\n'
    '{"type": "contact", "family": "f-1", "date": "2026-05-03", "kind": "first_contact"}\n'
)
BAD = (
    '{"format": "lotse.records/1"}\n'
    '{"type": "family", "id": "f-1", "adults": 99, "children": []}\n'
    '{"type": "contact", "family": "f-2", "date": "2026-13-03", "kind": "first_contact"}\n'
)


def _families(vault: Vault) -> int:
    with vault.session() as s:
        return s.scalar(select(func.count()).select_from(Family)) or 0


def test_bad_file_lists_every_problem_and_stores_nothing(
    vault: Vault, main_window: MainWindow, qtbot: QtBot, on_modal: Modal, tmp_path: Path
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(BAD, encoding="utf-8")
    shown: list[str] = []

    def read(dialog: QWidget) -> None:
        assert isinstance(dialog, ProblemsDialog)
        shown.append(dialog.text.toPlainText())
        dialog.reject()

    results: list[bool] = []
    on_modal(read, ProblemsDialog)
    import_file(main_window, path, results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=15000)
    assert results == [False]
    lines = shown[0].splitlines()
    assert len(lines) == 2
    assert all(line.startswith("bad.jsonl:") for line in lines)
    assert lines[0].startswith("bad.jsonl:2:") and lines[1].startswith("bad.jsonl:3:")
    assert _families(vault) == 0


def test_import_then_export(
    vault: Vault, main_window: MainWindow, qtbot: QtBot, on_modal: Modal, tmp_path: Path
) -> None:
    path = tmp_path / "good.jsonl"
    path.write_text(GOOD, encoding="utf-8")
    messages: list[str] = []

    def ok(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        messages.append(box.text())
        box.accept()

    results: list[bool] = []
    on_modal(ok, QMessageBox)
    import_file(main_window, path, results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=15000)
    assert results == [True]
    assert "1 Familien, 1 Kontakte" in messages[0]

    out = tmp_path / "out.jsonl"
    on_modal(ok, QMessageBox)
    export_file(main_window, out, results.append)
    qtbot.waitUntil(lambda: len(results) == 2, timeout=15000)
    assert results[1] is True
    assert "unverschlüsselt" in messages[1]
    assert out.read_text(encoding="utf-8").count("\n") == 3
