"""The shared widgets: type-to-find in a check-box grid."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from lotse.catalogues import REFERRAL_TARGETS
from lotse.ui.widgets import CheckGrid


def test_typing_the_start_of_a_label_moves_to_that_box(qtbot: QtBot) -> None:
    grid = CheckGrid(REFERRAL_TARGETS)
    qtbot.addWidget(grid)
    grid.show()
    grid.activateWindow()
    qtbot.waitExposed(grid)
    first = grid.widgets()[0]
    first.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first, timeout=15000)
    qtbot.keyClicks(first, "Heb")
    assert QApplication.focusWidget() is grid.boxes["midwife"]  # "Hebamme"
    assert not grid.boxes["midwife"].isChecked()  # finding does not tick
    qtbot.keyClick(grid.boxes["midwife"], Qt.Key.Key_Space)
    assert grid.codes() == ["midwife"]  # Space still ticks the box found
    grid.find("x")  # nothing starts with "hebx": the focus stays
    assert QApplication.focusWidget() is grid.boxes["midwife"]


def test_a_later_search_starts_afresh(qtbot: QtBot) -> None:
    grid = CheckGrid(REFERRAL_TARGETS)
    qtbot.addWidget(grid)
    grid.show()
    grid.activateWindow()
    qtbot.waitExposed(grid)
    first = grid.widgets()[0]
    first.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first, timeout=15000)
    grid.find("Heb", first)
    grid._typed_at -= 5  # the navigator paused
    grid.find("F", QApplication.focusWidget())
    focused = QApplication.focusWidget()
    assert focused is not None and focused.text().startswith("F")
