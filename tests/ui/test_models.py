"""Every table model of the window passes pytest-qt's model tester."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from lotse.casework.listing import FamilyRow, Filter
from lotse.ui.family_model import ID_ROLE, FamilyTableModel
from lotse.ui.list_model import ListTableModel, Row
from lotse.ui.main_window import MainWindow
from lotse.usecases import ReferralInput, ReminderInput, VaultAPI

AddFamily = Callable[..., int]


def test_family_model(api: VaultAPI, add_family: AddFamily, qtmodeltester: ModelTester) -> None:
    for i, name in enumerate(["Anna Schäfer", "Elif Kaya", "Olena Kovalenko"]):
        add_family(name, f"0208 0{i}1234", "ost" if i else "osterfeld")
    model = FamilyTableModel()
    model.set_rows(api.families.rows())
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, 1)) == "Olena Kovalenko"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Name"
    model.set_filter(Filter(text="kaya"))
    qtmodeltester.check(model)
    assert model.rowCount() == 1 and model.data(model.index(0, 3)) == "Oberhausen-Ost"
    assert model.data(model.index(0, 0), ID_ROLE) == 2
    model.set_filter(Filter(text="nobody"))
    qtmodeltester.check(model)
    assert model.rowCount() == 0
    model.clear()
    qtmodeltester.check(model)


def test_list_model(qtmodeltester: ModelTester) -> None:
    model = ListTableModel(("Datum", "Eintrag"))
    model.set_rows([Row(("01.02.2026", "a"), 1), Row(("02.02.2026", "b"), 2, "tip")])
    qtmodeltester.check(model)
    assert model.data(model.index(1, 1)) == "b"
    assert model.data(model.index(1, 0), Qt.ItemDataRole.ToolTipRole) == "tip"


def test_window_models(
    api: VaultAPI,
    add_family: AddFamily,
    main_window: MainWindow,
    qtmodeltester: ModelTester,
    settle: Callable[[], None],
) -> None:
    family = add_family("Anna Schäfer")
    api.followups.add_referral(
        family, ReferralInput(dt.date.today() - dt.timedelta(days=30), "jobcenter")
    )
    api.followups.add_reminder(family, ReminderInput(dt.date.today(), "Anrufen"))
    main_window.refresh()
    main_window.open_family(family)
    settle()
    qtmodeltester.check(main_window.families.detail.model)
    qtmodeltester.check(main_window.today.reminders)
    qtmodeltester.check(main_window.today.referrals)
    assert main_window.families.detail.model.rowCount() == 3
    assert main_window.today.reminders.rowCount() == 1
    assert main_window.today.referrals.rowCount() == 1


def test_typing_on_narrows_and_deleting_widens(api: VaultAPI, add_family: AddFamily) -> None:
    for name in ("Anna Schäfer", "Anna Becker", "Elif Kaya"):
        add_family(name)
    model = FamilyTableModel()
    model.set_rows(api.families.rows())
    shown = []
    for text in ("a", "an", "anna", "anna b", "anna", "", "kaya"):
        model.set_filter(Filter(text=text))
        shown.append(model.rowCount())
    assert shown == [3, 2, 2, 1, 2, 3, 1]


def test_family_model_takes_one_changed_row(
    api: VaultAPI, add_family: AddFamily, qtmodeltester: ModelTester
) -> None:
    ids = [add_family(name) for name in ("Anna Schäfer", "Elif Kaya", "Olena Kovalenko")]
    model = FamilyTableModel()
    model.set_rows(api.families.rows())
    qtmodeltester.check(model)
    model.sort(1, Qt.SortOrder.AscendingOrder)
    before = [model.row_at(i) for i in range(3)]

    def names() -> list[str]:
        return [model.data(model.index(i, 1)) for i in range(model.rowCount())]

    # Renamed: the row moves to where its new name sorts; the others are the same objects.
    renamed = before[0]._replace(name="Zoe Schäfer", haystack="zoe schäfer")
    model.put_row(renamed)
    qtmodeltester.check(model)
    assert names() == ["Elif Kaya", "Olena Kovalenko", "Zoe Schäfer"]
    assert model.row_at(0) is before[1] and model.row_at(1) is before[2]
    # Changed in place, sorted descending; a new family goes where it sorts.
    model.sort(1, Qt.SortOrder.DescendingOrder)
    model.put_row(renamed._replace(phone="0208 1"))
    assert model.row_at(0).phone == "0208 1"
    model.put_row(before[1]._replace(id=99, name="Maria Lopez", haystack="maria lopez"))
    qtmodeltester.check(model)
    assert names() == ["Zoe Schäfer", "Olena Kovalenko", "Maria Lopez", "Elif Kaya"]
    assert model.total() == 4
    # The search hides a row that no longer matches, and shows one that now does.
    model.set_filter(Filter(text="kaya"))
    model.put_row(before[1]._replace(name="Elif Yilmaz", haystack="elif yilmaz"))
    assert model.rowCount() == 0 and model.total() == 4
    model.put_row(before[2]._replace(haystack="kaya"))
    assert model.rowCount() == 1 and model.row_at(0).id == ids[2]
    model.remove_row(ids[2])
    qtmodeltester.check(model)
    assert model.rowCount() == 0 and model.total() == 3


def test_family_model_takes_rows_page_by_page(qtmodeltester: ModelTester) -> None:
    rows = [
        FamilyRow(i, f"F-2026-{i:04d}", name, "", None, None, None, None, name.casefold())
        for i, name in enumerate(["Kaya", "Becker", "Arslan", "Yilmaz", "Kaya"], start=1)
    ]
    model = FamilyTableModel()
    qtmodeltester.check(model)
    model.set_filter(Filter(text="a"))
    model.add_rows(rows[:2])
    model.add_rows(rows[2:])
    qtmodeltester.check(model)
    assert [model.row_at(i).id for i in range(model.rowCount())] == [1, 3, 4, 5]
    assert model.total() == 5
    # Sorted by name while the pages come in code order: each page is sorted in.
    model = FamilyTableModel()
    model.sort(1, Qt.SortOrder.AscendingOrder)
    model.add_rows(rows[:3])
    model.add_rows(rows[3:])
    qtmodeltester.check(model)
    assert [model.row_at(i).name for i in range(5)] == [
        "Arslan",
        "Becker",
        "Kaya",
        "Kaya",
        "Yilmaz",
    ]
    # Sorted by code descending, pages read backwards go below.
    model = FamilyTableModel()
    model.sort(0, Qt.SortOrder.DescendingOrder)
    model.add_rows(rows[:1:-1], descending=True)
    model.add_rows(rows[1::-1], descending=True)
    assert [model.row_at(i).id for i in range(5)] == [5, 4, 3, 2, 1]
