"""Recording a first contact with the keyboard only, finding it, following it up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from lotse.db.models import Family, Referral
from lotse.ui.family_form import FamilyForm
from lotse.ui.followup_dialogs import ReferralDialog, StatusDialog
from lotse.ui.main_window import MainWindow
from lotse.usecases import Profile, VaultAPI
from lotse.vault import Vault

Modal = Callable[..., None]
Settle = Callable[[], None]
AddFamily = Callable[..., int]


def _tab_to(qtbot: QtBot, form: QWidget, target: QWidget) -> None:
    for _ in range(80):
        if form.focusWidget() is target:
            return
        qtbot.keyClick(form.focusWidget(), Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target.accessibleName()}")


def test_first_contact_by_keyboard_then_search(
    vault: Vault,
    add_family: AddFamily,
    main_window: MainWindow,
    qtbot: QtBot,
    on_modal: Modal,
    settle: Settle,
) -> None:
    seen: dict[str, object] = {}

    def fill(form: QWidget) -> None:
        assert isinstance(form, FamilyForm)
        assert form.focusWidget() is form.adults
        qtbot.keyClicks(form.adults, "2")
        _tab_to(qtbot, form, form.children.add_button)
        qtbot.keyClick(form.children.add_button, Qt.Key.Key_Space)  # adds a child, focuses it
        assert len(form.children.rows) == 1
        assert not form.name.isEnabled()  # no consent to documentation yet: anonymous
        documentation = form.consent_editor.purposes.boxes["documentation"]
        _tab_to(qtbot, form, documentation)
        qtbot.keyClick(documentation, Qt.Key.Key_Space)
        _tab_to(qtbot, form, form.name)
        qtbot.keyClicks(form.name, "Elif Kaya")
        _tab_to(qtbot, form, form.phone)
        qtbot.keyClicks(form.phone, "0208 0555")
        first_topic = form.topics.boxes["finances"]
        _tab_to(qtbot, form, first_topic)
        qtbot.keyClick(first_topic, Qt.Key.Key_Space)
        midwife = form.referral_targets.boxes["family_midwife"]
        _tab_to(qtbot, form, midwife)
        qtbot.keyClick(midwife, Qt.Key.Key_Space)
        seen["tab_ok"] = True
        seen["form"] = form
        qtbot.keyClick(midwife, Qt.Key.Key_Return)  # Enter saves

    on_modal(fill)
    qtbot.keyClick(main_window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "form" in seen and not seen["form"].isVisible(), timeout=10000)
    settle()
    assert seen.get("tab_ok")
    created = seen["form"].created  # type: ignore[attr-defined]
    assert created is not None
    with vault.session() as s:
        family = s.get(Family, created.family_id)
        assert family is not None
        assert (family.adults, family.person_name, len(family.children)) == (2, "Elif Kaya", 1)
        assert [r.target for r in family.referrals] == ["family_midwife"]
        assert [t.topic for t in family.contacts[0].topics] == ["finances"]

    add_family("Anna Schäfer", "0208 0777")
    main_window.refresh()
    settle()
    view = main_window.families
    assert view.model.rowCount() == 2
    # Offscreen, nothing re-activates the window after the dialog (a desktop would).
    main_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main_window, timeout=15000)
    qtbot.keyClick(main_window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: main_window.focusWidget() is view.search, timeout=15000)
    qtbot.keyClicks(view.search, "kaya")
    assert view.model.rowCount() == 1
    qtbot.waitUntil(
        lambda: view.detail.family_id == created.family_id, timeout=15000
    )  # the only hit opens
    assert "Elif Kaya" in view.detail.title.text()
    assert view.count.text() == "1 von 2 Familien"


def test_bad_input_keeps_form_open_and_stores_nothing(
    vault: Vault, api: VaultAPI, qtbot: QtBot
) -> None:
    form = FamilyForm(api)
    qtbot.addWidget(form)
    form.show()
    form.languages.setText("deutsch")
    qtbot.keyClick(form.languages, Qt.Key.Key_Return)
    assert form.is_saving() and not form.save_button.isEnabled()  # one save at a time
    qtbot.waitUntil(lambda: not form.is_saving(), timeout=15000)
    assert form.isVisible() and form.save_button.isEnabled()
    assert form.created is None
    assert "deutsch ist kein zweistelliger Sprachcode" in form.problems.text()
    with vault.session() as s:
        assert s.scalar(select(func.count()).select_from(Family)) == 0


def test_duplicate_hint_while_typing(api: VaultAPI, add_family: AddFamily, qtbot: QtBot) -> None:
    add_family("Anna Schäfer", "0208 0123456")
    form = FamilyForm(api)
    qtbot.addWidget(form)
    form.show()
    form.consent_editor.purposes.boxes["documentation"].setChecked(True)
    qtbot.keyClicks(form.name, "Anna Schaefer")
    qtbot.waitUntil(form.duplicates.isVisible, timeout=15000)
    assert "F-20" in form.duplicates.text() and "Anna Schäfer" in form.duplicates.text()
    form.name.clear()
    qtbot.waitUntil(lambda: not form.duplicates.isVisible(), timeout=15000)
    qtbot.keyClicks(form.phone, "+49 208 0123456")
    qtbot.waitUntil(form.duplicates.isVisible, timeout=15000)


def test_add_referral_and_change_status(
    api: VaultAPI,
    add_family: AddFamily,
    main_window: MainWindow,
    qtbot: QtBot,
    on_modal: Modal,
    settle: Settle,
) -> None:
    family = add_family("Anna Schäfer")
    main_window.refresh()
    main_window.open_family(family)
    settle()
    detail = main_window.families.detail

    def referral(dialog: QWidget) -> None:
        assert isinstance(dialog, ReferralDialog)
        dialog.target.set_code("jobcenter")
        qtbot.keyClick(dialog.notes, Qt.Key.Key_Return)

    on_modal(referral)
    qtbot.mouseClick(detail.add_referral_button, Qt.MouseButton.LeftButton)
    settle()
    titles = [detail.model.row_at(i).cells[2] for i in range(detail.model.rowCount())]
    assert "Vermittlung an Jobcenter" in titles

    detail.select_row(titles.index("Vermittlung an Jobcenter"))
    assert detail.status_button.isEnabled()

    def status(dialog: QWidget) -> None:
        assert isinstance(dialog, StatusDialog)
        dialog.status.set_code("arrived")
        qtbot.keyClick(dialog.date, Qt.Key.Key_Return)

    on_modal(status)
    qtbot.mouseClick(detail.status_button, Qt.MouseButton.LeftButton)
    settle()
    titles = [detail.model.row_at(i).cells[2] for i in range(detail.model.rowCount())]
    assert "Vermittlung an Jobcenter: Angekommen" in titles
    with api._access.vault.session() as s:
        rid = s.scalar(select(Referral.id))
    assert rid is not None
    assert [h.status for h in api.followups.status_history(rid)] == ["suggested", "arrived"]


def test_delete_family_asks_and_says_what_goes(
    vault: Vault,
    add_family: AddFamily,
    main_window: MainWindow,
    qtbot: QtBot,
    on_modal: Modal,
    settle: Settle,
) -> None:
    family = add_family("Anna Schäfer")
    main_window.refresh()
    main_window.open_family(family)
    settle()
    asked: list[str] = []

    def cancel(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        box.reject()

    on_modal(cancel)
    main_window.families.detail.delete_family()
    settle()
    assert "1 Kontakt" in asked[0] and "lässt sich nicht rückgängig machen" in asked[0]
    with vault.session() as s:
        assert s.get(Family, family) is not None

    def accept(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        delete = next(b for b in box.buttons() if b.text() == "Löschen")
        delete.click()

    on_modal(accept)
    main_window.families.detail.delete_family()
    settle()
    with vault.session() as s:
        assert s.get(Family, family) is None
    assert main_window.families.model.rowCount() == 0


def test_add_contact_and_reminder_show_in_today(
    add_family: AddFamily, main_window: MainWindow, qtbot: QtBot, on_modal: Modal, settle: Settle
) -> None:
    family = add_family("Anna Schäfer")
    main_window.refresh()
    main_window.open_family(family)
    settle()
    detail = main_window.families.detail

    def reminder(dialog: QWidget) -> None:
        dialog.due.set_date(dt.date.today())  # type: ignore[attr-defined]
        qtbot.keyClicks(dialog.text, "Kita anrufen")  # type: ignore[attr-defined]
        qtbot.keyClick(dialog.text, Qt.Key.Key_Return)  # type: ignore[attr-defined]

    on_modal(reminder)
    detail.add_reminder()
    settle()
    assert main_window.today.reminders.rowCount() == 1
    assert main_window.today.reminders.row_at(0).cells[3] == "Kita anrufen"
    assert main_window.families.model.row_at(0).is_due(dt.date.today())


def test_new_family_is_counted_in_statistics(
    main_window: MainWindow, qtbot: QtBot, on_modal: Modal, settle: Settle
) -> None:
    def fill(form: QWidget) -> None:
        assert isinstance(form, FamilyForm)
        form.adults.setValue(2)
        form.referral_targets.boxes["jobcenter"].setChecked(True)
        qtbot.keyClick(form.adults, Qt.Key.Key_Return)

    on_modal(fill, FamilyForm)
    main_window.new_contact_action.trigger()
    settle()
    statistics = main_window.statistics
    main_window.tabs.setCurrentWidget(statistics)
    today = dt.date.today()
    statistics.picker.set_period_text(f"{today.year}-Q{(today.month - 1) // 3 + 1}")

    def counted() -> bool:
        report = statistics.report()
        return (
            not statistics.is_busy()
            and report is not None
            and report.figures.totals.get("families_reached") == 1
        )

    qtbot.waitUntil(counted, timeout=10000)
    totals = statistics.report().figures.totals
    assert totals["adults_reached"] == 2
    assert totals["referrals"] == 1


def test_lock_closes_an_open_form_without_saving(
    vault: Vault, main_window: MainWindow, qtbot: QtBot, on_modal: Modal, settle: Settle
) -> None:
    seen: list[bool] = []
    locked: list[bool] = []
    main_window.locked.connect(lambda: locked.append(True))

    def type_then_lock(form: QWidget) -> None:
        assert isinstance(form, FamilyForm)
        form.consent_editor.purposes.boxes["documentation"].setChecked(True)
        qtbot.keyClicks(form.name, "Elif Kaya")
        main_window.lock()  # what the idle timer does
        seen.append(form.isVisible())

    on_modal(type_then_lock, FamilyForm)
    main_window.new_first_contact()
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    assert seen == [False] and locked == [True]
    with vault.session() as s:
        assert s.scalar(select(func.count()).select_from(Family)) == 0


def test_form_preselects_from_the_service_line(
    api: VaultAPI, main_window: MainWindow, qtbot: QtBot, on_modal: Modal
) -> None:
    api.settings.save_profile(Profile(service_line="kita_family_centre"))
    seen: list[tuple[str | None, str | None]] = []

    def look(form: QWidget) -> None:
        assert isinstance(form, FamilyForm)
        seen.append((form.access_route.code(), form.setting.code()))
        form.reject()

    on_modal(look, FamilyForm)
    main_window.new_first_contact()
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    assert seen == [("kita", "kita")]
