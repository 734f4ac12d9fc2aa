"""The statistics view on a small hand-made vault: figures, periods, publication, export."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import delete, select

from lotse import i18n
from lotse.casework import groups
from lotse.db.models import (
    AuditEntry,
    Child,
    ClosedPeriod,
    Contact,
    ContactTopic,
    Family,
    Referral,
)
from lotse.demo import generate_records
from lotse.report.model import prepare_report
from lotse.stats.figures import figures_for_period
from lotse.stats.keys import total_label
from lotse.stats.period import parse_period
from lotse.stats.periods_closed import close_period
from lotse.ui import workers
from lotse.ui.statistics_view import StatisticsView
from lotse.ui.stats_models import VALUE_ROLE
from lotse.ui.stats_period_picker import PeriodPicker
from lotse.usecases import VaultAPI
from lotse.vault import Vault

TODAY = dt.date(2026, 8, 15)
#: A day the view is opened on: its quarter, the default period, is 2026-Q2.
IN_Q2 = dt.date(2026, 6, 30)
D = dt.date
NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def _no_worker_outlives_the_vault() -> Iterator[None]:
    yield
    workers.wait_all()


def _family(
    code: str,
    adults: int,
    children: list[dt.date],
    district: str | None,
    route: str,
    sgb2: bool | None,
) -> Family:
    return Family(
        code=code,
        adults=adults,
        district=district,
        access_route=route,
        sgb2=sgb2,
        children=[Child(position=i, birth_date=b) for i, b in enumerate(children)],
    )


def _contact(day: dt.date, kind: str, minutes: int | None, topics: list[str]) -> Contact:
    return Contact(
        date=day,
        kind=kind,
        minutes=minutes,
        topics=[ContactTopic(position=i, topic=t) for i, t in enumerate(topics)],
    )


@pytest.fixture
def small_vault(vault: Vault) -> Vault:
    """Three families, two group offers; the expected figures are counted by hand below."""
    with vault.transaction() as s:
        a = _family("A", 2, [D(2020, 5, 1), D(2026, 9, 1)], "osterfeld", "birth_clinic", True)
        a.contacts = [
            _contact(D(2026, 4, 1), "first_contact", 30, ["finances", "housing"]),
            _contact(D(2026, 6, 30), "counselling", 45, []),
        ]
        a.referrals = [Referral(date=D(2026, 5, 1), target="jobcenter", status="arrived")]
        b = _family("B", 1, [D(2026, 1, 10)], None, "kita", None)
        b.contacts = [
            _contact(D(2026, 3, 31), "first_contact", 20, ["language"]),
            _contact(D(2026, 5, 5), "home_visit", 60, ["health"]),
        ]
        b.referrals = [
            Referral(date=D(2026, 6, 1), target="early_help", status="not_arrived"),
            Referral(date=D(2026, 3, 1), target="midwife", status="arrived"),
        ]
        c = _family("C", 3, [], "ost", "kita", False)
        c.contacts = [_contact(D(2026, 5, 10), "no_show", None, [])]
        s.add_all([a, b, c])
        s.flush()
        cafe = groups.create_offer(s, "Elterncafé", "parent_cafe", "osterfeld")
        groups.record_session(s, cafe, D(2026, 4, 7), 90, 5, 7, TODAY)
        groups.record_session(s, cafe, D(2026, 7, 1), 90, 2, 2, TODAY)
        course = groups.create_offer(s, "Sprachkurs", "course", None)
        groups.record_session(s, course, D(2026, 3, 30), 60, 4, 0, TODAY)
    return vault


# Counted by hand for 2026-Q2 (2026-04-01..2026-06-30).
Q2_TOTALS = {
    "families_reached": 2,  # A and B; C only missed an appointment
    "new_families": 1,  # A; B's first counselling was on 2026-03-31
    "adults_reached": 3,
    "children_reached": 2,  # A's child of 2020 and B's of January 2026
    "expected_children": 1,  # A's child due 2026-09-01
    "counselling_contacts": 3,
    "counselling_minutes": 135,
    "no_shows": 1,
    "group_offers": 1,
    "group_sessions": 1,
    "group_participants_adults": 5,
    "group_participants_children": 7,
    "referrals": 2,
    "referrals_arrived": 1,
    # The course of a case (issue 10): no screening, no closure, no dates to take medians of.
    "screenings": 0,
    "screenings_positive": 0,
    "screenings_positive_reached": 0,
    "families_closed": 0,
    "median_days_to_first_contact": None,
    "median_support_days": None,
}


def _view(qtbot: QtBot, vault: Vault, today: dt.date = IN_Q2) -> StatisticsView:
    view = StatisticsView(VaultAPI(vault), today=today)
    qtbot.addWidget(view)
    view.resize(1366, 740)
    view.show()
    _settle(qtbot, view)
    return view


def _settle(qtbot: QtBot, view: StatisticsView) -> None:
    qtbot.waitUntil(lambda: not view.is_busy() and view.report() is not None, timeout=10000)


def _nonzero(view: StatisticsView, key: str) -> dict[str, int | None]:
    view.select_section(key)
    model = view.breakdown_model
    cells = {
        model.index(r, 0).data(): model.index(r, 1).data(VALUE_ROLE)
        for r in range(model.rowCount())
    }
    return {label: v for label, v in cells.items() if v != 0}


def test_default_period_is_the_current_quarter(qtbot: QtBot, small_vault: Vault) -> None:
    view = _view(qtbot, small_vault)
    assert view.period().label == "2026-Q2"
    assert view.period_label.text() == "01.04.2026 – 30.06.2026"


def test_shows_the_hand_counted_figures_of_the_engine(qtbot: QtBot, small_vault: Vault) -> None:
    view = _view(qtbot, small_vault)
    data = view.report()
    assert data is not None
    assert data.figures.totals == Q2_TOTALS
    with small_vault.session() as s:
        engine = figures_for_period(s, parse_period("2026-Q2"))
    assert data.figures.totals == engine.totals
    assert data.figures.breakdowns == engine.breakdowns

    cards = {card.label.text(): card.number.text() for card in view.cards}
    assert cards == {
        "Erreichte Erwachsene": "3",
        "Erreichte Kinder": "2",
        "Einzelberatungen": "3",
        "Gruppenangebote": "1",
        "Erreichte Familien": "2",
        "Davon neu erreichte Familien": "1",
        "Vermittlungen": "2",
        "Anteil angekommener Vermittlungen": f"50,0{NBSP}%",
    }
    assert _nonzero(view, "families_by_district") == {"Osterfeld": 1, "Unbekannt": 1}
    assert _nonzero(view, "families_by_sgb2") == {"Ja": 1, "Unbekannt": 1}
    assert _nonzero(view, "children_by_age_band") == {"unter 1 Jahr": 1, "6–9 Jahre": 1}
    assert _nonzero(view, "contacts_by_kind") == {
        "Erstkontakt": 1,
        "Beratung": 1,
        "Hausbesuch": 1,
    }
    assert _nonzero(view, "contacts_by_topic") == {
        "Finanzen": 1,
        "Wohnen": 1,
        "Gesundheit": 1,
        "Ohne Thema": 1,
    }
    assert _nonzero(view, "referrals_by_status") == {"Angekommen": 1, "Nicht angekommen": 1}
    # The chart draws the same cells as the table, in the same order.
    model = view.breakdown_model
    assert view.chart.bars() == [
        (model.index(r, 0).data(), model.index(r, 1).data(VALUE_ROLE))
        for r in range(model.rowCount())
    ]
    assert ("Angekommen", 1) in view.chart.bars()
    assert view.mark_label.text() == "intern – nicht zur Veröffentlichung"
    assert not view.closed_label.isVisible()


def test_models_pass_the_model_tester(qtbot: QtBot, qtmodeltester, small_vault: Vault) -> None:
    view = _view(qtbot, small_vault)
    qtmodeltester.check(view.totals_model)
    assert view.totals_model.rowCount() == len(Q2_TOTALS) + 1
    view.select_section("contacts_by_topic")
    assert view.breakdown_model.rowCount() == 16  # 15 topics and "Ohne Thema"
    qtmodeltester.check(view.breakdown_model)


def test_switching_periods(qtbot: QtBot, small_vault: Vault) -> None:
    view = _view(qtbot, small_vault)
    view.picker.previous_button.click()  # 2026-Q1
    _settle(qtbot, view)
    data = view.report()
    assert data is not None and data.period.label == "2026-Q1"
    q1 = data.figures.totals
    assert (q1["counselling_contacts"], q1["new_families"], q1["group_offers"]) == (1, 1, 1)
    assert (q1["referrals"], q1["referrals_arrived"]) == (1, 1)
    assert view.cards[7].number.text() == f"100,0{NBSP}%"

    view.picker.set_period_text("2026-05")
    _settle(qtbot, view)
    may = view.report()
    assert may is not None and may.period.label == "2026-05"
    assert (may.figures.totals["counselling_contacts"], may.figures.totals["no_shows"]) == (1, 1)

    view.picker.set_period_text("2026-06-30..2026-07-01")
    _settle(qtbot, view)
    edge = view.report()
    assert edge is not None
    assert edge.figures.totals["counselling_contacts"] == 1  # A on 2026-06-30
    assert edge.figures.totals["group_sessions"] == 1  # the café on 2026-07-01
    assert view.cards[7].number.text() == "–"  # no referral decided: no share

    view.picker.set_period_text("2026")
    _settle(qtbot, view)
    year = view.report()
    assert year is not None and year.figures.totals["group_offers"] == 2


def test_an_end_before_the_start_says_so_and_keeps_the_last_figures(
    qtbot: QtBot, small_vault: Vault
) -> None:
    view = _view(qtbot, small_vault)
    picker = view.picker
    picker.kind_combo.setCurrentIndex(picker.kind_combo.findData("range"))
    _settle(qtbot, view)
    picker.from_edit.set_date(D(2026, 6, 1))
    _settle(qtbot, view)
    picker.to_edit.set_date(D(2026, 5, 1))
    assert picker.error_label.text() == (
        "Im Zeitraum „2026-06-01..2026-05-01“ liegt das Ende vor dem Anfang."
    )
    # The figures of the last valid range stay.
    assert view.period().label == "2026-06-01..2026-06-30"
    data = view.report()
    assert data is not None and data.period.label == "2026-06-01..2026-06-30"
    assert data.figures.totals["counselling_contacts"] == 1
    picker.to_edit.set_date(D(2026, 6, 15))
    assert not picker.error_label.isVisible()


def test_a_closed_period_is_marked_and_keeps_its_figures(qtbot: QtBot, small_vault: Vault) -> None:
    with small_vault.transaction() as s:
        close_period(s, parse_period("2026-Q2"), TODAY)
        s.execute(delete(Contact).where(Contact.date == D(2026, 6, 30)))
    view = _view(qtbot, small_vault)
    assert view.closed_label.isVisible()
    assert view.closed_label.text() == "Abgeschlossener Zeitraum"
    data = view.report()
    assert data is not None and data.figures.totals == Q2_TOTALS
    view.picker.next_button.click()
    _settle(qtbot, view)
    assert not view.closed_label.isVisible()


def test_publication_preview_suppresses_small_numbers(qtbot: QtBot, small_vault: Vault) -> None:
    view = _view(qtbot, small_vault)
    view.publish_box.setChecked(True)
    assert view.mark_label.text() == "zur Veröffentlichung (Kleinstzahlen unterdrückt)"
    assert "„.“ = Kleinstzahl" in view.footnote_label.text()
    view.select_section("families_by_district")
    model = view.breakdown_model
    shown = {model.index(r, 0).data(): model.index(r, 1).data() for r in range(model.rowCount())}
    # Two cells of 1 cannot hide each other: the whole breakdown goes (statistics.md).
    assert set(shown.values()) == {"."}
    assert ("Osterfeld", None) in view.chart.bars()
    # Totals stay as they are; the engine decides which cells go.
    with small_vault.session() as s:
        published = prepare_report(s, parse_period("2026-Q2"), True, 3, "")
    assert view.report() is not None
    assert view.report().figures.breakdowns == published.figures.breakdowns  # type: ignore[union-attr]
    assert view.cards[0].number.text() == "3"
    view.publish_box.setChecked(False)
    assert model.index(model.rowCount() - 1, 1).data() == "1"


def test_clear_drops_the_figures(qtbot: QtBot, small_vault: Vault) -> None:
    view = _view(qtbot, small_vault)
    view.clear()
    assert view.report() is None
    assert view.totals_model.rowCount() == 0
    assert {card.number.text() for card in view.cards} == {"–"}
    view.refresh()
    _settle(qtbot, view)
    assert view.report() is not None


def test_export_csv_off_the_ui_thread(qtbot: QtBot, small_vault: Vault, tmp_path: Path) -> None:
    view = _view(qtbot, small_vault)
    out = tmp_path / "q2.csv"
    view.start_export("csv", out)
    assert view.is_exporting()
    assert view.progress.isVisible()
    assert not view.export_buttons["pdf"].isEnabled()
    qtbot.waitUntil(lambda: not view.is_exporting(), timeout=20000)
    assert view.status_label.text() == f"Bericht gespeichert: {out}"
    assert view.export_buttons["pdf"].isEnabled()
    text = out.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines(), delimiter=";"))
    totals = {row[1]: row[3] for row in rows[1:] if row[0] == "totals"}
    assert totals == {key: "" if n is None else str(n) for key, n in Q2_TOTALS.items()}


def test_export_json_for_publication_through_the_save_dialog(
    qtbot: QtBot, small_vault: Vault, tmp_path: Path, on_modal: Callable[..., None]
) -> None:
    view = _view(qtbot, small_vault)
    view.publish_box.setChecked(True)
    out = tmp_path / "bericht.json"
    names: list[str] = []

    def choose(dialog: QFileDialog) -> None:
        assert isinstance(dialog, QFileDialog)
        names.append(dialog.selectedFiles()[0])
        dialog.selectFile(str(out))
        dialog.accept()

    on_modal(choose)
    view.export_buttons["json"].click()
    qtbot.waitUntil(lambda: not view.is_exporting() and out.exists(), timeout=20000)
    assert names[0].endswith("lotse-statistik-2026-Q2-veroeffentlichung.json")
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["published"] is True
    # Rule 4 of statistics.md: one arrived referral would reveal too much when published.
    assert report["totals"] == {**Q2_TOTALS, "referrals_arrived": None}
    assert report["breakdowns"]["families_by_district"]["osterfeld"] is None


def test_export_to_a_folder_that_does_not_exist_says_so(
    qtbot: QtBot, small_vault: Vault, tmp_path: Path
) -> None:
    view = _view(qtbot, small_vault)
    out = tmp_path / "fehlt" / "q2.xlsx"
    view.start_export("xlsx", out)
    qtbot.waitUntil(lambda: not view.is_exporting(), timeout=20000)
    assert "kann nicht geschrieben werden" in view.status_label.text()
    assert not out.parent.exists()


def test_demo_vault_figures_match_the_engine(qtbot: QtBot, vault: Vault) -> None:
    VaultAPI(vault).records.store(generate_records(150, seed=3, today=TODAY))
    view = _view(qtbot, vault)
    with vault.session() as s:
        engine = figures_for_period(s, parse_period("2026-Q2"))
    data = view.report()
    assert data is not None
    assert engine.totals["families_reached"] > 0
    assert data.figures.totals == engine.totals
    assert data.figures.breakdowns == engine.breakdowns


def test_the_view_speaks_english(qtbot: QtBot, small_vault: Vault) -> None:
    i18n.set_language("en")
    view = _view(qtbot, small_vault)
    # Labels of the figures come from the engine's key catalogue, in the current language.
    assert view.cards[0].label.text() == total_label("adults_reached")
    assert view.cards[7].label.text() == "Share of referrals that arrived"
    assert view.cards[7].number.text() == "50.0%"
    assert view.export_label.text() == "Export report:"
    assert view.section_list.item(0).text() == "All figures"


def test_only_the_last_chosen_period_is_shown(qtbot: QtBot, small_vault: Vault) -> None:
    view = _view(qtbot, small_vault)
    # Several changes before any result is back: earlier results must not win.
    view.picker.previous_button.click()
    view.picker.previous_button.click()
    view.picker.set_period_text("2026-05")
    _settle(qtbot, view)
    workers.wait_all()
    qtbot.wait(50)  # let any late (stale) result arrive
    data = view.report()
    assert data is not None and data.period.label == "2026-05"
    assert view.period_label.text() == "01.05.2026 – 31.05.2026"


def test_switching_the_language_retranslates_the_open_view(
    qtbot: QtBot, small_vault: Vault
) -> None:
    view = _view(qtbot, small_vault)
    i18n.set_language("en")
    view.retranslate()  # what the main window's language switch does
    assert view.export_label.text() == "Export report:"
    assert view.picker.kind_combo.currentText() == "Quarter"
    assert view.cards[7].number.text() == "50.0%"


def test_export_pdf_for_publication(qtbot: QtBot, small_vault: Vault, tmp_path: Path) -> None:
    view = _view(qtbot, small_vault)
    view.publish_box.setChecked(True)
    out = tmp_path / "q2.pdf"
    view.start_export("pdf", out)
    qtbot.waitUntil(lambda: not view.is_exporting(), timeout=30000)
    assert view.status_label.text() == f"Bericht gespeichert: {out}"
    assert out.read_bytes().startswith(b"%PDF")
    assert not view.progress.isVisible()


def test_period_picker_steps_and_keeps_the_period_when_the_kind_changes(qtbot: QtBot) -> None:
    picker = PeriodPicker(IN_Q2)
    qtbot.addWidget(picker)
    seen: list[str] = []
    picker.period_changed.connect(lambda p: seen.append(p.label))
    assert picker.period().label == "2026-Q2"
    picker.step(-1)
    picker.step(-1)
    assert picker.period().label == "2025-Q4"  # back over the turn of the year
    picker.kind_combo.setCurrentIndex(picker.kind_combo.findData("month"))
    assert picker.period().label == "2025-10"  # the quarter's first month
    picker.step(1)
    picker.step(1)
    picker.step(1)
    assert picker.period().label == "2026-01"
    picker.kind_combo.setCurrentIndex(picker.kind_combo.findData("year"))
    assert picker.period().label == "2026"
    picker.kind_combo.setCurrentIndex(picker.kind_combo.findData("range"))
    assert picker.period().label == "2026-01-01..2026-12-31"
    assert not picker.year_spin.isVisible() and not picker.previous_button.isVisibleTo(picker)
    assert seen == [
        "2026-Q1",
        "2025-Q4",
        "2025-10",
        "2025-11",
        "2025-12",
        "2026-01",
        "2026",
        "2026-01-01..2026-12-31",
    ]


OnModal = Callable[..., None]


def _press(label: str, texts: list[str], defaults: list[str]) -> Callable[[QWidget], None]:
    """A handler for the next message box: note its text and default button, press ``label``."""

    def handler(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        texts.append(box.text())
        defaults.append(box.defaultButton().text())
        next(b for b in box.buttons() if b.text() == label).click()

    return handler


def _closed_labels(vault: Vault) -> list[str]:
    with vault.session() as s:
        return list(s.scalars(select(ClosedPeriod.label)))


def _audit(vault: Vault) -> list[tuple[str, str]]:
    with vault.session() as s:
        # The vault's creation and unlocks are logged too; these tests look at the rest.
        rows = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.action.not_in(("vault_created", "vault_unlocked")))
            .order_by(AuditEntry.id)
        )
        return [(r.action, r.details.get("period", "")) for r in rows]


def _settle_closing(qtbot: QtBot, view: StatisticsView) -> None:
    qtbot.waitUntil(lambda: not view.is_closing(), timeout=10000)
    _settle(qtbot, view)


def test_close_a_period_in_the_window_freezes_its_figures(
    qtbot: QtBot, small_vault: Vault, on_modal: OnModal
) -> None:
    view = _view(qtbot, small_vault, TODAY)  # Q2 is over: it may be closed
    view.picker.step(-1)
    _settle(qtbot, view)
    assert view.period().label == "2026-Q2"
    assert view.close_button.isVisible() and view.close_button.isEnabled()
    assert not view.reopen_button.isVisible()
    assert view.close_button.text() == "Zeitraum ab&schließen …"
    texts: list[str] = []
    defaults: list[str] = []
    on_modal(_press("Abbrechen", texts, defaults), QMessageBox)
    view.close_button.click()
    assert "anonyme Summen" in texts[0] and "2026" in texts[0]
    assert defaults == ["Abschließen"]
    assert _closed_labels(small_vault) == []

    on_modal(_press("Abschließen", texts, defaults), QMessageBox)
    view.close_button.click()
    _settle_closing(qtbot, view)
    assert _closed_labels(small_vault) == ["2026-Q2"]
    assert ("period_closed", "2026-Q2") in _audit(small_vault)
    assert view.closed_label.isVisible()
    assert view.reopen_button.isVisible() and not view.close_button.isVisible()
    assert view.status_label.text() == (
        "Zeitraum 2026-Q2 abgeschlossen: seine Zahlen bleiben nun unverändert."
    )
    # Records deleted afterwards do not change the frozen figures.
    with small_vault.transaction() as s:
        s.execute(delete(Contact).where(Contact.date == D(2026, 6, 30)))
    view.refresh()
    _settle(qtbot, view)
    data = view.report()
    assert data is not None and data.closed and data.figures.totals == Q2_TOTALS


def test_reopen_asks_with_no_as_default_and_is_logged(
    qtbot: QtBot, small_vault: Vault, on_modal: OnModal
) -> None:
    with small_vault.transaction() as s:
        close_period(s, parse_period("2026-Q2"), TODAY)
    view = _view(qtbot, small_vault, TODAY)
    view.picker.step(-1)
    _settle(qtbot, view)
    assert view.reopen_button.isVisible() and not view.close_button.isVisible()
    texts: list[str] = []
    defaults: list[str] = []
    on_modal(_press("Abbrechen", texts, defaults), QMessageBox)
    view.reopen_button.click()
    assert defaults == ["Abbrechen"]
    assert "Protokoll" in texts[0]
    assert _closed_labels(small_vault) == ["2026-Q2"]
    assert [a for a, _p in _audit(small_vault)] == ["period_closed"]

    on_modal(_press("Abschluss aufheben", texts, defaults), QMessageBox)
    view.reopen_button.click()
    _settle_closing(qtbot, view)
    assert _closed_labels(small_vault) == []
    assert _audit(small_vault)[-1] == ("period_reopened", "2026-Q2")
    assert not view.closed_label.isVisible()
    assert view.close_button.isVisible()
    assert "(im Protokoll vermerkt)" in view.status_label.text()


def test_closing_a_period_that_has_not_ended_says_so_and_changes_nothing(
    qtbot: QtBot, small_vault: Vault, on_modal: OnModal
) -> None:
    view = _view(qtbot, small_vault)
    view.picker.next_button.click()  # 2026-Q3, which runs until 30.09.2026
    _settle(qtbot, view)
    on_modal(_press("Abschließen", [], []), QMessageBox)
    view.close_button.click()
    qtbot.waitUntil(lambda: not view.is_closing(), timeout=10000)
    assert view.status_label.text() == (
        "Der Zeitraum 2026-Q3 ist noch nicht zu Ende (bis 30.09.2026); abschließen lässt "
        "sich nur ein vergangener Zeitraum."
    )
    assert _closed_labels(small_vault) == []
    assert _audit(small_vault) == []
    assert view.close_button.isVisible() and view.close_button.isEnabled()


def test_close_and_reopen_speak_english(
    qtbot: QtBot, small_vault: Vault, on_modal: OnModal
) -> None:
    i18n.set_language("en")
    try:
        view = _view(qtbot, small_vault)
        assert view.close_button.text() == "&Close period …"
        assert view.reopen_button.text() == "&Reopen period …"
        view.picker.next_button.click()
        _settle(qtbot, view)
        texts: list[str] = []

        def answer(box: QWidget) -> None:
            assert isinstance(box, QMessageBox)
            texts.append(box.text())
            box.defaultButton().click()

        on_modal(answer, QMessageBox)
        view.close_button.click()
        qtbot.waitUntil(lambda: not view.is_closing(), timeout=10000)
        assert "anonymous aggregates" in texts[0]
        assert view.status_label.text().startswith("The period 2026-Q3 has not ended yet")
    finally:
        i18n.set_language("de")
