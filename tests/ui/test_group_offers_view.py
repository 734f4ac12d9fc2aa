"""The group offers view on a real vault, driven through its widgets with qtbot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from lotse import i18n
from lotse.db.models import GroupOffer, GroupSession
from lotse.demo import generate_records
from lotse.ui.group_offers_view import GroupOffersView
from lotse.ui.groups_dialogs import OfferDialog
from lotse.usecases import VaultAPI
from lotse.vault import Vault

OnModal = Callable[[Callable[[Any], None]], None]
Settle = Callable[[], None]


def _counts(vault: Vault) -> tuple[int, int]:
    with vault.session() as s:
        return (
            s.scalar(select(func.count(GroupOffer.id))) or 0,
            s.scalar(select(func.count(GroupSession.id))) or 0,
        )


@pytest.fixture
def view_of(qtbot: QtBot, api: VaultAPI, settle: Settle) -> Callable[[], GroupOffersView]:
    """The view on the test vault, shown, with its offers and sessions read."""

    def make() -> GroupOffersView:
        view = GroupOffersView(api)
        qtbot.addWidget(view)
        view.resize(1366, 700)
        with qtbot.waitActive(view):
            view.show()
        settle()
        return view

    return make


def _cafe(api: VaultAPI, sessions: int = 0) -> int:
    offer_id = api.groups.create_offer("Elterncafé Lirich", "parent_cafe", "alstaden_lirich")
    for n in range(sessions):
        api.groups.record_session(offer_id, dt.date(2026, 3, 1 + n), 90, 4, 6)
    return offer_id


def test_models_pass_the_model_tester(
    qtmodeltester, api: VaultAPI, view_of: Callable[[], GroupOffersView]
) -> None:
    api.records.store(generate_records(60, seed=4, today=dt.date(2026, 9, 1)))
    view = view_of()
    assert view.offer_model.rowCount() > 0
    assert view.session_model.rowCount() > 0
    qtmodeltester.check(view.offer_model)
    qtmodeltester.check(view.session_model)
    qtmodeltester.check(view.offer_proxy)
    qtmodeltester.check(view.session_proxy)


def test_list_shows_offers_with_labels_and_session_figures(
    api: VaultAPI, view_of: Callable[[], GroupOffersView]
) -> None:
    _cafe(api, sessions=3)
    view = view_of()
    model = view.offer_model
    assert [model.data(model.index(0, c)) for c in range(5)] == [
        "Elterncafé Lirich",
        "Elterncafé",
        "Alstaden/Lirich",
        "3",
        "03.03.2026",
    ]
    assert model.headerData(3, Qt.Orientation.Horizontal) == "Termine"
    assert view.offer_heading.text() == "Elterncafé Lirich"
    assert view.session_model.rowCount() == 3
    # newest first
    assert view.session_proxy.index(0, 0).data() == "03.03.2026"


def test_create_an_offer_through_the_dialog(
    qtbot: QtBot,
    api: VaultAPI,
    view_of: Callable[[], GroupOffersView],
    on_modal: OnModal,
    settle: Settle,
) -> None:
    view = view_of()
    assert "erste Gruppenangebot" in view.offer_details.text()
    seen: list[str] = []

    def fill(dialog: OfferDialog) -> None:
        # First an empty title: the dialog stays open and says why.
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
        qtbot.waitUntil(lambda: not dialog.is_saving(), timeout=15000)
        seen.append(dialog.error_label.text())
        assert dialog.isVisible()
        qtbot.keyClicks(dialog.title_edit, "Babymassage Osterfeld")
        dialog.category_combo.setCurrentIndex(dialog.category_combo.findData("course"))
        dialog.district_combo.setCurrentIndex(dialog.district_combo.findData("osterfeld"))
        qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)

    on_modal(fill)
    qtbot.mouseClick(view.new_offer_button, Qt.MouseButton.LeftButton)
    settle()
    assert seen == ["Bitte geben Sie dem Gruppenangebot einen Titel."]
    rows = api.groups.offers()
    assert [(r.title, r.category, r.district) for r in rows] == [
        ("Babymassage Osterfeld", "course", "osterfeld")
    ]
    assert view.selected_offer_id() == rows[0].id
    assert view.offer_heading.text() == "Babymassage Osterfeld"


def test_edit_an_offer_through_the_dialog(
    api: VaultAPI, view_of: Callable[[], GroupOffersView], on_modal: OnModal, settle: Settle
) -> None:
    offer_id = _cafe(api)
    view = view_of()

    def change(dialog: OfferDialog) -> None:
        assert dialog.title_edit.text() == "Elterncafé Lirich"
        dialog.title_edit.setText("Elterncafé Styrum")
        dialog.district_combo.setCurrentIndex(dialog.district_combo.findData("mitte_styrum"))
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()

    on_modal(change)
    view.edit_offer_button.click()
    settle()
    row = api.groups.offer(offer_id)
    assert (row.title, row.district) == ("Elterncafé Styrum", "mitte_styrum")
    assert view.offer_model.data(view.offer_model.index(0, 2)) == "Oberhausen-Mitte/Styrum"


def test_record_a_session_by_keyboard(
    qtbot: QtBot, api: VaultAPI, view_of: Callable[[], GroupOffersView], settle: Settle
) -> None:
    offer_id = _cafe(api)
    view = view_of()
    assert view.date_edit.date() == QDate.currentDate()
    view.date_edit.setFocus(Qt.FocusReason.TabFocusReason)  # as when tabbing into the form
    qtbot.keyClicks(view.date_edit, "12052026")
    assert view.date_edit.date() == QDate(2026, 5, 12)
    # Tab order: date, minutes, adults, children; keys go to the focused field.
    for field, text in (
        (view.minutes_edit, "90"),
        (view.adults_edit, "7"),
        (view.children_edit, "9"),
    ):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is field
        qtbot.keyClicks(field, text)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    settle()

    rows = api.groups.sessions(offer_id)
    assert [(r.date, r.minutes, r.adults, r.children) for r in rows] == [
        (dt.date(2026, 5, 12), 90, 7, 9)
    ]
    assert view.session_status.text() == "Termin vom 12.05.2026 gespeichert."
    assert view.offer_model.data(view.offer_model.index(0, 3)) == "1"
    assert view.offer_model.data(view.offer_model.index(0, 4)) == "12.05.2026"
    # The form is ready for the next session: counts empty, the date kept.
    assert (view.adults_edit.text(), view.children_edit.text()) == ("", "")
    assert view.date_edit.date() == QDate(2026, 5, 12)


@pytest.mark.parametrize(
    ("minutes", "adults", "children", "message"),
    [
        ("90", "", "3", "Erwachsene: bitte eine Zahl angeben."),
        ("90", "drei", "3", 'Erwachsene: "drei" ist keine ganze Zahl.'),
        ("900", "2", "3", "Dauer in Minuten: 900 geht nicht. Bitte eine Zahl von 0 bis 600."),
        ("90", "2", "600", "Kinder: 600 geht nicht."),
    ],
)
def test_bad_session_input_says_why_and_stores_nothing(
    qtbot: QtBot,
    vault: Vault,
    api: VaultAPI,
    view_of: Callable[[], GroupOffersView],
    settle: Settle,
    minutes: str,
    adults: str,
    children: str,
    message: str,
) -> None:
    _cafe(api, sessions=1)
    view = view_of()
    qtbot.keyClicks(view.minutes_edit, minutes)
    qtbot.keyClicks(view.adults_edit, adults)
    qtbot.keyClicks(view.children_edit, children)
    qtbot.keyClick(view.adults_edit, Qt.Key.Key_Enter)
    settle()
    assert view.session_error.isVisible()
    assert message in view.session_error.text()
    assert view.adults_edit.text() == adults  # kept for correcting
    assert _counts(vault) == (1, 1)


def test_a_future_date_is_refused(
    vault: Vault, api: VaultAPI, view_of: Callable[[], GroupOffersView], settle: Settle
) -> None:
    _cafe(api)
    view = view_of()
    view.date_edit.setDate(QDate.currentDate().addDays(3))
    view.adults_edit.setText("2")
    view.children_edit.setText("2")
    view.save_session_button.click()
    assert not view.save_session_button.isEnabled()  # one save at a time
    settle()
    assert "liegt in der Zukunft" in view.session_error.text()
    assert view.save_session_button.isEnabled()
    assert _counts(vault) == (1, 0)


def test_edit_a_session_in_the_form(
    qtbot: QtBot, api: VaultAPI, view_of: Callable[[], GroupOffersView], settle: Settle
) -> None:
    offer_id = _cafe(api, sessions=2)
    view = view_of()
    view.session_table.selectRow(1)  # the older one, 01.03.2026
    view.edit_session_button.click()
    assert view.session_box.title() == "Termin bearbeiten"
    assert view.adults_edit.text() == "4"
    view.adults_edit.setText("11")
    qtbot.keyClick(view.adults_edit, Qt.Key.Key_Return)
    settle()
    rows = api.groups.sessions(offer_id)
    assert [(r.date, r.adults) for r in rows] == [
        (dt.date(2026, 3, 2), 4),
        (dt.date(2026, 3, 1), 11),
    ]
    assert view.session_box.title() == "Termin erfassen"
    assert view.session_status.text() == "Termin vom 01.03.2026 geändert."


def test_delete_a_session_after_confirmation(
    api: VaultAPI, view_of: Callable[[], GroupOffersView], on_modal: OnModal, settle: Settle
) -> None:
    offer_id = _cafe(api, sessions=2)
    view = view_of()
    view.session_table.selectRow(0)
    texts: list[str] = []

    def answer(box: QMessageBox) -> None:
        texts.append(box.text())
        next(b for b in box.buttons() if b.text() == "Löschen").click()

    on_modal(answer)
    view.delete_session_button.click()
    settle()
    assert texts == [
        "Den Termin vom 02.03.2026 (4 Erwachsene, 6 Kinder) löschen? Das lässt sich nicht "
        "rückgängig machen."
    ]
    assert [r.date for r in api.groups.sessions(offer_id)] == [dt.date(2026, 3, 1)]
    assert view.session_model.rowCount() == 1


def test_delete_an_offer_says_how_many_sessions_go_with_it(
    qtbot: QtBot,
    vault: Vault,
    api: VaultAPI,
    view_of: Callable[[], GroupOffersView],
    on_modal: OnModal,
    settle: Settle,
) -> None:
    _cafe(api, sessions=3)
    view = view_of()
    texts: list[str] = []

    def cancel(box: QMessageBox) -> None:
        texts.append(box.text())
        assert box.defaultButton().text() == "Abbrechen"
        qtbot.keyClick(box, Qt.Key.Key_Escape)

    on_modal(cancel)
    view.delete_offer_button.click()
    settle()
    assert texts == [
        "Das Gruppenangebot „Elterncafé Lirich“ löschen? Mit ihm werden alle 3 erfassten "
        "Termine gelöscht. Das lässt sich nicht rückgängig machen."
    ]
    assert _counts(vault) == (1, 3)

    def delete(box: QMessageBox) -> None:
        next(b for b in box.buttons() if b.text() == "Löschen").click()

    on_modal(delete)
    view.delete_offer_button.click()
    settle()
    assert _counts(vault) == (0, 0)
    assert view.offer_model.rowCount() == 0
    assert view.offer_heading.text() == "Kein Angebot gewählt"
    assert not view.session_box.isEnabled()


def test_clear_drops_everything_and_refresh_reloads(
    api: VaultAPI, view_of: Callable[[], GroupOffersView], settle: Settle
) -> None:
    _cafe(api, sessions=2)
    view = view_of()
    view.clear()
    assert view.offer_model.rowCount() == 0
    assert view.session_model.rowCount() == 0
    view.refresh()
    settle()
    assert view.offer_model.rowCount() == 1
    assert view.session_model.rowCount() == 2


def test_the_view_speaks_english(
    api: VaultAPI, view_of: Callable[[], GroupOffersView], settle: Settle
) -> None:
    i18n.set_language("en")
    _cafe(api, sessions=1)
    view = view_of()
    assert view.offer_model.headerData(3, Qt.Orientation.Horizontal) == "Sessions"
    assert view.offer_model.data(view.offer_model.index(0, 1)) == "Parent café"
    assert view.session_box.title() == "Record a session"
    view.adults_edit.setText("x")
    view.children_edit.setText("1")
    view.save_session_button.click()
    settle()
    assert 'Adults: "x" is not a whole number.' in view.session_error.text()


def test_inputs_have_accessible_names(view_of: Callable[[], GroupOffersView]) -> None:
    view = view_of()
    for field in (
        view.offer_table,
        view.session_table,
        view.date_edit,
        view.minutes_edit,
        view.adults_edit,
        view.children_edit,
    ):
        assert field.accessibleName()


def test_switching_the_language_retranslates_the_open_view(
    api: VaultAPI, view_of: Callable[[], GroupOffersView]
) -> None:
    _cafe(api)
    view = view_of()
    i18n.set_language("en")
    view.retranslate()  # what the main window's language switch does
    assert view.offers_heading.text() == "Group offers"
    assert view.session_box.title() == "Record a session"
    assert view.offer_details.text().endswith("0 sessions")
    assert view.offer_model.headerData(1, Qt.Orientation.Horizontal) == "Type of offer"
