"""The families tab: fits a 1280×800 laptop screen with every list column; a saved
family changes its own row only; the list read page by page lists each family once."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from lotse.ui import families_view
from lotse.ui.app import build_main_window
from lotse.ui.main_window import MainWindow
from lotse.ui.qt_i18n import apply_language
from lotse.usecases import ContactInput, ReminderInput, VaultAPI
from tests.ui.conftest import AddFamily, Settle


@pytest.fixture(params=["de", "en"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    apply_language(request.param)
    yield request.param
    apply_language("de")


def test_family_list_shows_every_column_beside_the_detail_at_1280(
    language: str, api: VaultAPI, add_family: AddFamily, qtbot: QtBot, settle: Settle
) -> None:
    family = add_family("Katharina Hoffmann-Yılmaz", phone="0208 1234567")
    add_family("Aleksandra Lehmann", phone="0208 7654321")
    window = build_main_window(api)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    assert window.minimumSizeHint().width() <= 1280, language
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    settle()
    window.open_family(family)
    settle()
    qtbot.waitUntil(lambda: window.families.detail.family_id == family, timeout=15000)

    view = window.families
    assert window.width() <= 1280
    table = view.table
    assert table.horizontalHeader().length() <= table.viewport().width(), language
    assert not table.horizontalScrollBar().isVisible(), language
    # The detail pane keeps room to read beside the list.
    assert view.splitter.sizes()[1] >= 400, view.splitter.sizes()
    window.idle.stop()


def test_a_saved_family_changes_its_row_only(
    api: VaultAPI, add_family: AddFamily, main_window: MainWindow, settle: Settle
) -> None:
    anna = add_family("Anna Schäfer", phone="0208 1111111")
    becker = add_family("Anna Becker")
    add_family("Elif Kaya")
    main_window.refresh()
    settle()
    view = main_window.families
    view.search.setText("anna")
    view.model.sort(1, Qt.SortOrder.AscendingOrder)
    main_window.open_family(anna)
    settle()
    before = {row.id: row for row in view.rows()}

    # Saved as the family form saves it: only this family's row is read again.
    data = dataclasses.replace(api.families.get(anna).data, person_phone="0208 2222222")
    api.families.update(anna, data)
    api.followups.add_contact(anna, ContactInput(date=dt.date.today()))
    main_window.refresh(anna)
    settle()
    after = {row.id: row for row in view.rows()}
    assert after[anna].phone == "0208 2222222"
    assert after[anna].last_contact == dt.date.today()
    assert all(after[i] is before[i] for i in before if i != anna)  # not read again
    assert view.search.text() == "anna" and view.model.rowCount() == 2
    assert [view.model.row_at(i).name for i in range(2)] == ["Anna Becker", "Anna Schäfer"]
    assert view.model.row_at(view.table.currentIndex().row()).id == anna  # still selected
    assert view.count.text() == "2 von 3 Familien"

    # Stored from the detail pane (a Wiedervorlage, say): the same, through its signal.
    api.followups.add_reminder(anna, ReminderInput(dt.date.today(), "Anrufen"))
    view.detail.changed.emit()
    settle()
    again = {row.id: row for row in view.rows()}
    assert again[anna].next_due == dt.date.today()
    assert all(again[i] is before[i] for i in before if i != anna)

    # A new family gets its row, selected as the form asks while it is read (the search
    # that would hide it goes, as before); a deleted family loses its row.
    new = add_family("Anna Yilmaz")
    main_window.refresh(new)
    view.select_family(new)
    settle()
    api.families.delete(becker)
    view.refresh_family(becker)
    settle()
    names = [view.model.row_at(i).name for i in range(3)]
    assert names == ["Anna Schäfer", "Anna Yilmaz", "Elif Kaya"]
    assert view.count.text() == "3 von 3 Familien"
    assert view.model.row_at(view.table.currentIndex().row()).id == new


def test_reading_the_list_twice_at_once_lists_each_family_once(
    api: VaultAPI, add_family: AddFamily, main_window: MainWindow, settle: Settle
) -> None:
    for name in ("Anna Schäfer", "Anna Becker", "Elif Kaya"):
        add_family(name)
    view = main_window.families
    main_window.open_family(2)
    settle()
    view.reload()
    view.reload()
    assert "weitere werden gelesen" in view.count.text()
    settle()
    assert sorted(row.id for row in view.rows()) == [1, 2, 3]
    assert view.count.text() == "3 von 3 Familien"
    assert view.model.row_at(view.table.currentIndex().row()).id == 2


def test_a_family_picked_while_the_list_is_read_stays_picked(
    api: VaultAPI,
    add_family: AddFamily,
    main_window: MainWindow,
    settle: Settle,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The family shown before a reload is selected when its row is in, once: a row the
    navigator clicks while the rest is still read is not taken from her at the end."""
    for name in ("Anna Schäfer", "Anna Becker", "Elif Kaya", "Omar Öztürk", "Jan Kaya"):
        add_family(name)
    view = main_window.families
    main_window.open_family(2)
    settle()
    monkeypatch.setattr(families_view, "FIRST_PAGE", 2)
    monkeypatch.setattr(families_view, "PAGE", 1)
    add_rows = view.model.add_rows
    clicked: list[bool] = []

    def add_rows_then_click(rows, descending):  # type: ignore[no-untyped-def]
        add_rows(rows, descending)
        if not clicked and view.model.row_of(1) >= 0:
            clicked.append(True)
            # The click comes before the next page: posted now, run after this page.
            QTimer.singleShot(0, lambda: view.table.selectRow(view.model.row_of(1)))

    monkeypatch.setattr(view.model, "add_rows", add_rows_then_click)
    view.reload()
    settle()
    assert clicked and view.count.text() == "5 von 5 Familien"
    assert view.model.row_at(view.table.currentIndex().row()).id == 1
    assert view.detail.wanted_id() == 1
