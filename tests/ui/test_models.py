"""Every table model of the window passes pytest-qt's model tester."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from lotse.casework.listing import Filter
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
