"""Issue 10 in the window, on a real vault: the screening block of the first-contact form,
a mode beside each referral, closing a case with its reason and reopening it, the families
list by reason, and the statistics section "Screening und Verlauf".

The first test is the issue's "done when": a family screened, contacted, referred
(accompanied) and closed as handed over, by keyboard only, shows in the quarter's
statistics view, PDF and package.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from lotse import options
from lotse.casework.listing import NO_REASON
from lotse.domain.entities import ConsentData
from lotse.domain.fields import ADULTS, CHILDREN, DATE_MAX, DATE_MIN, MINUTES
from lotse.stats.keys import MEDIAN_KEYS
from lotse.stats.packages import read_package
from lotse.stats.period import Period, parse_period
from lotse.ui.close_case_dialog import CloseCaseDialog
from lotse.ui.family_form import FamilyForm
from lotse.ui.followup_dialogs import ReferralDialog, ReminderDialog
from lotse.ui.main_window import MainWindow
from lotse.ui.stats_models import KEY_ROLE, VALUE_ROLE
from lotse.usecases import ContactInput, FamilyInput, Kind, ReminderInput, VaultAPI
from lotse.vault import Vault
from tests.report.test_report_casework import pdf_page, shows

Modal = Callable[..., None]
Settle = Callable[[], None]
TODAY = dt.date.today()


def _quarter(day: dt.date) -> Period:
    return parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")


def _tab_to(qtbot: QtBot, form: QWidget, target: QWidget) -> None:
    for _ in range(150):
        if form.focusWidget() is target:
            return
        qtbot.keyClick(form.focusWidget(), Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target.accessibleName()}")


def _space(qtbot: QtBot, form: QWidget, box: QWidget) -> None:
    _tab_to(qtbot, form, box)
    qtbot.keyClick(box, Qt.Key.Key_Space)


def _new_form(qtbot: QtBot, api: VaultAPI, settle: Settle, **kw: object) -> FamilyForm:
    form = FamilyForm(api, **kw)  # type: ignore[arg-type]
    # A changed form asks before it is closed: closed as the lock closes it (no question).
    qtbot.addWidget(form, before_close_func=lambda w: w.isVisible() and w.close_for_lock())
    form.show()
    settle()
    return form


def test_a_case_by_keyboard_from_screening_to_handed_over_and_in_the_quarters_figures(
    api: VaultAPI,
    main_window: MainWindow,
    qtbot: QtBot,
    on_modal: Modal,
    settle: Settle,
    tmp_path: Path,
) -> None:
    seen: dict[str, object] = {}

    def fill(form: QWidget) -> None:
        assert isinstance(form, FamilyForm)
        qtbot.keyClicks(form.adults, "2")
        block = form.screening
        _space(qtbot, form, block.screened)
        assert block.result.text().startswith("Screening nicht positiv (positiv ab 2 Faktoren")
        _space(qtbot, form, block.factors.boxes["young_parent"])
        _space(qtbot, form, block.factors.boxes["financial_strain"])
        assert block.result.text() == "Screening positiv"  # shown as it is ticked
        _space(qtbot, form, block.staff_concern)
        # Going along to the midwife passes the family's data on: consent to referrals.
        _space(qtbot, form, form.consent_editor.purposes.boxes["referral"])
        _space(qtbot, form, form.topics.boxes["pregnancy_birth"])
        _space(qtbot, form, form.referral_targets.boxes["family_midwife"])
        mode = form.referral_modes.combos["family_midwife"]
        _tab_to(qtbot, form, mode)
        qtbot.keyClicks(mode, "Z")  # type-ahead: "Zum ersten Termin begleitet"
        assert mode.code() == "accompanied"
        seen["form"] = form
        qtbot.keyClick(mode, Qt.Key.Key_Return)  # Enter saves

    on_modal(fill, FamilyForm)
    qtbot.keyClick(main_window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "form" in seen and not seen["form"].isVisible(), timeout=15000)
    settle()
    created = seen["form"].created  # type: ignore[attr-defined]
    assert created is not None, seen["form"].problems.text()  # type: ignore[attr-defined]
    detail = main_window.families.detail
    qtbot.waitUntil(lambda: detail.family_id == created.family_id, timeout=10000)
    assert f"Screening am {TODAY:%d.%m.%Y}: Junger Elternteil" in detail.summary.text()

    def close_case(dialog: QWidget) -> None:
        assert isinstance(dialog, CloseCaseDialog)
        assert dialog.focusWidget() is dialog.reason
        qtbot.keyClicks(dialog.reason, "An")  # type-ahead: "An eine andere Stelle übergeben"
        assert dialog.reason.code() == "handed_over"
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)

    on_modal(close_case, CloseCaseDialog)
    detail.close_case_button.setFocus()
    qtbot.keyClick(detail.close_case_button, Qt.Key.Key_Space)
    settle()
    qtbot.waitUntil(lambda: detail.close_case_button.text() == "Wieder öffnen …", timeout=10000)
    assert (
        f"abgeschlossen am {TODAY:%d.%m.%Y} (An eine andere Stelle übergeben)"
        in detail.summary.text()
    )
    stored = api.families.get(created.family_id).data
    assert (stored.closed, stored.closure_reason) == (TODAY, "handed_over")
    assert (stored.identified, stored.screening_date) == (TODAY, TODAY)
    assert stored.screening_factors == ["young_parent", "financial_strain"]
    assert stored.screening_staff_concern and not stored.screening_own_request

    # The quarter's statistics view.
    period = _quarter(TODAY)
    view = main_window.statistics
    main_window.tabs.setCurrentWidget(view)
    view.picker.set_period_text(period.label)

    def counted() -> bool:
        report = view.report()
        return (
            not view.is_busy()
            and report is not None
            and report.period == period
            and report.figures.totals.get("families_closed") == 1
        )

    qtbot.waitUntil(counted, timeout=15000)
    report = view.report()
    assert report is not None
    totals, cells = report.figures.totals, report.figures.breakdowns
    assert {k: totals[k] for k in ("screenings", "screenings_positive")} == {
        "screenings": 1,
        "screenings_positive": 1,
    }
    assert totals["screenings_positive_reached"] == 1
    assert totals["median_days_to_first_contact"] == 0.0
    assert totals["median_support_days"] == 0.0
    assert cells["referrals_by_mode"]["accompanied"] == 1
    assert cells["closures_by_reason"]["handed_over"] == 1
    assert cells["screening_factors"]["young_parent"] == 1
    view.select_section("casework")
    model = view.casework_model
    shown = {model.index(r, 0).data(): model.index(r, 1).data() for r in range(model.rowCount())}
    assert shown["Screenings"] == "1"
    assert shown["Davon positiv und danach beraten"] == "1"
    assert shown["Tage bis zum Erstkontakt (Median)"] == "0,0"
    assert shown["    An eine andere Stelle übergeben"] == "1"
    assert shown["    Zum ersten Termin begleitet"] == "1"
    assert view.chart.bars()[0] == ("Screenings", 1)

    # The quarter's PDF and statistics package.
    pdf = tmp_path / "quartal.pdf"
    api.statistics.write_report(period, "pdf", pdf)
    page = pdf_page(pdf, "Screening und Verlauf")
    assert "Screenings 1" in page
    assert "Davon positiv und danach beraten 1" in page
    assert "Tage bis zum Erstkontakt (Median) 0,0" in page
    assert shows(page, "closures_by_reason", "handed_over", 1)
    assert shows(page, "referrals_by_mode", "accompanied", 1)
    assert shows(page, "screening_factors", "financial_strain", 1)
    package = tmp_path / "paket.json"
    api.team.export_package(period, package)
    figures = read_package(package).figures
    assert figures.totals["screenings_positive"] == 1
    assert figures.totals["families_closed"] == 1
    assert figures.breakdowns["closures_by_reason"]["handed_over"] == 1
    assert figures.breakdowns["referrals_by_mode"]["accompanied"] == 1
    assert figures.distributions["median_support_days"] == {0: 1}


def test_the_result_follows_the_threshold_in_force(
    api: VaultAPI, vault: Vault, qtbot: QtBot, settle: Settle
) -> None:
    with vault.transaction() as session:
        options.put(session, "screening_threshold", 3)
    form = _new_form(qtbot, api, settle)
    block = form.screening
    assert block.threshold == 3
    block.screened.setChecked(True)
    for code in ("young_parent", "violence"):
        block.factors.boxes[code].setChecked(True)
    assert not block.is_positive()
    assert "positiv ab 3 Faktoren" in block.result.text()
    block.factors.boxes["addiction"].setChecked(True)
    assert block.is_positive() and block.result.text() == "Screening positiv"
    block.factors.set_codes([])
    block.own_request.setChecked(True)  # the parents asked: positive whatever the factors
    assert block.is_positive()


def test_without_a_screening_its_fields_are_passed_over(
    api: VaultAPI, qtbot: QtBot, settle: Settle
) -> None:
    form = _new_form(qtbot, api, settle)
    block = form.screening
    assert not any(w.isEnabled() for w in block.focus_order()[2:])  # Tab skips them
    assert block.result.text() == "Kein Screening"
    values = block.values()
    assert values["screening_date"] is None and values["screening_factors"] == []
    assert values["identified"] == TODAY  # the identified date defaults to today


def test_the_dates_follow_the_contact_date_until_changed_by_hand(
    api: VaultAPI, qtbot: QtBot, settle: Settle
) -> None:
    form = _new_form(qtbot, api, settle)
    block = form.screening
    block.screened.setChecked(True)
    day = TODAY - dt.timedelta(days=3)
    form.contact_date.set_date(day)  # documented three days later
    assert (block.identified.date_value(), block.date.date_value()) == (day, day)
    earlier = day - dt.timedelta(days=2)
    block.identified.set_date(earlier)  # learned of the family two days before
    assert block.date.date_value() == earlier  # the screening made it known
    form.contact_date.set_date(TODAY)
    assert block.identified.date_value() == earlier  # changed by hand: stays


def test_editing_keeps_screening_closure_and_origin(
    api: VaultAPI, qtbot: QtBot, settle: Settle
) -> None:
    day = TODAY - dt.timedelta(days=20)
    created = api.families.record_first_contact(
        FamilyInput(
            adults=1,
            identified=day,
            screening_date=day,
            screening_factors=["language_barrier"],
            screening_own_request=True,
            origin_service="Frühe Hilfen",
            origin_date=day,
        ),
        ContactInput(day),
    )
    api.families.close(created.family_id, TODAY, "moved_away")
    form = _new_form(qtbot, api, settle, family=api.families.get(created.family_id))
    assert form.screening.screened.isChecked()
    assert form.screening.factors.codes() == ["language_barrier"]
    form.adults.setValue(3)
    form.save()
    settle()
    assert form.created is None and not form.isVisible(), form.problems.text()
    data = api.families.get(created.family_id).data
    assert data.adults == 3
    assert (data.closed, data.closure_reason) == (TODAY, "moved_away")  # not reopened
    assert (data.origin_service, data.identified) == ("Frühe Hilfen", day)
    assert data.screening_own_request


def test_an_identified_date_never_set_stays_unset_on_editing(
    api: VaultAPI, qtbot: QtBot, settle: Settle
) -> None:
    created = api.families.record_first_contact(FamilyInput(adults=2), ContactInput(TODAY))
    form = _new_form(qtbot, api, settle, family=api.families.get(created.family_id))
    form.save()
    settle()
    assert api.families.get(created.family_id).data.identified is None


def test_each_ticked_referral_gets_its_mode(api: VaultAPI, qtbot: QtBot, settle: Settle) -> None:
    form = _new_form(qtbot, api, settle)
    form.adults.setValue(2)
    form.consent_editor.purposes.boxes["referral"].setChecked(True)
    targets = form.referral_targets.boxes
    targets["jobcenter"].setChecked(True)
    targets["family_midwife"].setChecked(True)
    modes = form.referral_modes
    assert list(modes.combos) == ["family_midwife", "jobcenter"]  # the grid's order
    modes.combos["jobcenter"].set_code("contact_made")
    targets["jobcenter"].setChecked(False)
    targets["jobcenter"].setChecked(True)  # ticked again: its mode comes back
    assert modes.mode("jobcenter") == "contact_made"
    order = form.focus_order()
    assert order.index(modes.combos["jobcenter"]) > order.index(targets["paediatrician"])
    form.save()
    settle()
    assert form.created is not None, form.problems.text()
    entries = api.families.timeline(form.created.family_id)
    referrals = [api.followups.referral(e.ref_id) for e in entries if e.kind is Kind.REFERRAL]
    assert sorted((r.target, r.mode) for r in referrals) == [
        ("family_midwife", None),
        ("jobcenter", "contact_made"),
    ]


def test_reopen_from_the_family_view(
    api: VaultAPI, main_window: MainWindow, qtbot: QtBot, on_modal: Modal, settle: Settle
) -> None:
    created = api.families.record_first_contact(FamilyInput(adults=2), ContactInput(TODAY))
    api.families.close(created.family_id, TODAY, "completed")
    main_window.refresh()
    main_window.open_family(created.family_id)
    settle()
    detail = main_window.families.detail
    assert detail.close_case_button.text() == "Wieder öffnen …"

    def confirm(box: QWidget) -> None:
        buttons = box.buttons()  # type: ignore[attr-defined]
        next(b for b in buttons if b.text() == "Wieder öffnen").click()

    on_modal(confirm)
    detail.close_case()
    settle()
    qtbot.waitUntil(lambda: detail.close_case_button.text() == "Abschließen …", timeout=10000)
    data = api.families.get(created.family_id).data
    assert (data.closed, data.closure_reason) == (None, None)


def test_closing_without_a_reason_says_so_and_keeps_the_case_open(
    api: VaultAPI, qtbot: QtBot, settle: Settle
) -> None:
    created = api.families.record_first_contact(FamilyInput(adults=2), ContactInput(TODAY))
    dialog = CloseCaseDialog(api, created.family_id, "F-X")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.is_saving(), timeout=15000)
    settle()
    assert dialog.isVisible()
    assert "Grund des Abschlusses: bitte angeben." in dialog.problems.text()
    assert api.families.get(created.family_id).data.closed is None


def test_the_families_list_filters_by_reason(
    api: VaultAPI, main_window: MainWindow, settle: Settle
) -> None:
    ids = [
        api.families.record_first_contact(FamilyInput(adults=1), ContactInput(TODAY)).family_id
        for _ in range(3)
    ]
    api.families.close(ids[0], TODAY, "handed_over")
    api.families.close(ids[1], TODAY, "declined")
    main_window.refresh()
    settle()
    view = main_window.families
    combo = view.reason
    combo.setCurrentIndex(combo.findData("handed_over"))
    assert [view.model.row_at(r).id for r in range(view.model.rowCount())] == [ids[0]]
    combo.setCurrentIndex(combo.findData(NO_REASON))
    assert view.model.rowCount() == 0
    combo.setCurrentIndex(0)  # all reasons
    assert view.model.rowCount() == 3


def test_referral_mode_in_its_dialog_and_an_edited_reminder_stays_done(
    api: VaultAPI, qtbot: QtBot, settle: Settle
) -> None:
    # Documentation (a reminder's text) and referral (going along passes data on).
    day = TODAY - dt.timedelta(days=9)
    consent = [ConsentData("documentation", day), ConsentData("referral", day)]
    created = api.families.record_first_contact(
        FamilyInput(adults=1, consents=consent), ContactInput(TODAY)
    )
    fid = created.family_id
    dialog = ReferralDialog(api, fid)
    qtbot.addWidget(dialog)
    dialog.target.set_code("youth_welfare_office")
    dialog.mode.set_code("accompanied")
    dialog.save()
    settle()
    referral = next(e for e in api.families.timeline(fid) if e.kind is Kind.REFERRAL)
    data = api.followups.referral(referral.ref_id)
    assert data.mode == "accompanied"
    edit = ReferralDialog(api, fid, referral.ref_id, data)
    qtbot.addWidget(edit)
    assert edit.mode.code() == "accompanied"

    rid = api.followups.add_reminder(fid, ReminderInput(TODAY, "Kita anrufen"))
    api.followups.set_reminder_done(rid, TODAY)
    again = ReminderDialog(api, fid, rid, api.followups.reminder(rid))
    qtbot.addWidget(again)
    again.text.setText("Kita-Platz anrufen")
    again.save()
    settle()
    assert api.followups.reminder(rid) == ReminderInput(TODAY, "Kita-Platz anrufen", TODAY)


def test_children_stop_at_the_domains_limit(api: VaultAPI, qtbot: QtBot, settle: Settle) -> None:
    form = _new_form(qtbot, api, settle)
    for _ in range(CHILDREN.high):
        assert form.children.add_button.isEnabled()
        form.children.add_child(TODAY)
    assert not form.children.add_button.isEnabled()
    form.children.rows[0][2].click()  # remove one
    assert form.children.add_button.isEnabled()


def test_widgets_take_their_limits_from_the_domain(
    api: VaultAPI, qtbot: QtBot, settle: Settle
) -> None:
    form = _new_form(qtbot, api, settle)
    assert (form.adults.minimum(), form.adults.maximum()) == (ADULTS.low, ADULTS.high)
    assert (form.minutes.minimum(), form.minutes.maximum()) == (MINUTES.low, MINUTES.high)
    date = form.contact_date
    assert date.minimumDate() == QDate(DATE_MIN.year, DATE_MIN.month, DATE_MIN.day)
    assert date.maximumDate() == QDate(DATE_MAX.year, DATE_MAX.month, DATE_MAX.day)


@pytest.mark.parametrize("key", MEDIAN_KEYS)
def test_an_empty_median_shows_a_dash_not_the_suppression_sign(
    api: VaultAPI, main_window: MainWindow, qtbot: QtBot, key: str
) -> None:
    view = main_window.statistics
    # Computed when the tab is first shown, not at unlock (a city's figures take seconds).
    assert view.report() is None and not view.is_busy()
    main_window.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: not view.is_busy() and view.report() is not None, timeout=10000)
    for model in (view.totals_model, view.casework_model):
        row = next(r for r in range(model.rowCount()) if model.index(r, 0).data(KEY_ROLE) == key)
        assert model.index(row, 1).data() == "–"
        assert model.index(row, 1).data(VALUE_ROLE) is None


def test_the_package_carries_the_medians_as_distributions(api: VaultAPI, tmp_path: Path) -> None:
    day = TODAY - dt.timedelta(days=1)
    for identified in (day - dt.timedelta(days=4), day):
        api.families.record_first_contact(
            FamilyInput(adults=1, identified=identified), ContactInput(day)
        )
    out = tmp_path / "p.json"
    api.team.export_package(_quarter(day), out)
    payload = json.loads(out.read_text(encoding="utf-8"))
    # Both first contacts lie in the quarter; the identified dates need not.
    distribution = payload["figures"]["distributions"]["median_days_to_first_contact"]
    assert distribution == {"0": 1, "4": 1}
