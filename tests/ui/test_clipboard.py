"""The clipboard after locking: what was copied in Lotse is gone, other text stays."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit

from lotse.ui import clipboard
from lotse.ui.main_window import MainWindow


def test_text_copied_in_the_window_is_cleared_on_lock(main_window: MainWindow) -> None:
    board = QGuiApplication.clipboard()
    field = main_window.families.search
    assert isinstance(field, QLineEdit)
    field.setText("Anna Schäfer 0208 123456")
    field.selectAll()
    field.copy()  # Ctrl+C in a field of the window
    assert board.text() == "Anna Schäfer 0208 123456"
    main_window.lock()
    assert board.text() == ""


def test_text_lotse_did_not_put_there_stays(main_window: MainWindow) -> None:
    board = QGuiApplication.clipboard()
    # Another program's copy: it reaches Lotse while Lotse is in the background, which
    # the offscreen platform cannot simulate; unseen is what that amounts to.
    board.blockSignals(True)
    try:
        board.setText("Einkaufsliste: Milch")
    finally:
        board.blockSignals(False)
    main_window.lock()
    assert board.text() == "Einkaufsliste: Milch"


def test_a_copy_replaced_by_another_text_is_left_alone(main_window: MainWindow) -> None:
    board = QGuiApplication.clipboard()
    clipboard.remember("Wiebke Quarz")
    board.blockSignals(True)
    try:
        board.setText("etwas anderes")
    finally:
        board.blockSignals(False)
    assert not clipboard.clear_if_ours()
    assert board.text() == "etwas anderes"


def test_remembered_texts_are_forgotten_after_clearing(main_window: MainWindow) -> None:
    board = QGuiApplication.clipboard()
    board.setText("Familie F-2026-0001")
    assert clipboard.clear_if_ours() and board.text() == ""
    # The same text put there later by another program is no longer taken for Lotse's.
    board.blockSignals(True)
    try:
        board.setText("Familie F-2026-0001")
    finally:
        board.blockSignals(False)
    assert not clipboard.clear_if_ours()
    assert board.text() == "Familie F-2026-0001"
