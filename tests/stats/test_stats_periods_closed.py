"""Closing and reopening periods: frozen figures, the log, and clear refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, select

from lotse.db.models import AuditEntry, ClosedPeriod, Contact, Family
from lotse.errors import BadInputError
from lotse.report import build_report
from lotse.stats.figures import compute_figures, figures_for_period
from lotse.stats.keys import ADDED_IN_V2, TOTAL_KEYS
from lotse.stats.period import parse_period
from lotse.stats.periods_closed import close_period, is_closed, list_closed, reopen_period
from lotse.vault import Vault
from tests.stats.builders import casework_records, fill, reference_records

Q3 = parse_period("2026-Q3")
LATER = dt.date(2026, 11, 1)


@pytest.fixture
def ref_vault(vault: Vault) -> Vault:
    fill(vault, reference_records)
    return vault


def test_close_freezes_and_reopen_unfreezes(ref_vault: Vault) -> None:
    with ref_vault.session() as session:
        before = compute_figures(session, Q3)
    with ref_vault.transaction() as session:
        close_period(session, Q3, today=LATER)
    with ref_vault.transaction() as session:
        session.execute(delete(Contact))  # e.g. deleted for retention
    with ref_vault.session() as session:
        assert is_closed(session, Q3)
        assert figures_for_period(session, Q3) == before
        [info] = list_closed(session)
        assert info.period == Q3
    with ref_vault.transaction() as session:
        assert reopen_period(session, "2026-Q3") == Q3
    with ref_vault.session() as session:
        assert not is_closed(session, Q3)
        assert figures_for_period(session, Q3).totals["counselling_contacts"] == 0
        log = session.scalars(
            select(AuditEntry).where(AuditEntry.action.like("period_%")).order_by(AuditEntry.id)
        ).all()
    assert [e.action for e in log] == ["period_closed", "period_reopened"]
    assert log[1].details["period"] == "2026-Q3"


def test_stored_aggregates_hold_no_record(ref_vault: Vault) -> None:
    with ref_vault.transaction() as session:
        close_period(session, Q3, today=LATER)
    with ref_vault.session() as session:
        row = session.scalars(select(ClosedPeriod)).one()
    assert set(row.figures) == {"version", "totals", "breakdowns", "distributions"}
    assert "T-A" not in str(row.figures)


def test_refusals_leave_everything_as_it_was(ref_vault: Vault) -> None:
    with ref_vault.transaction() as session:
        close_period(session, Q3, today=LATER)
    with pytest.raises(BadInputError, match="bereits abgeschlossen"), ref_vault.transaction() as s:
        close_period(s, parse_period("2026-07-01..2026-09-30"), today=LATER)
    with pytest.raises(BadInputError, match="noch nicht zu Ende"), ref_vault.transaction() as s:
        close_period(s, parse_period("2026-Q4"), today=LATER)
    with pytest.raises(BadInputError, match="nicht abgeschlossen"), ref_vault.transaction() as s:
        reopen_period(s, "2026-Q2")
    with (
        pytest.raises(BadInputError, match="Unbekannte Zeitraum-Angabe"),
        ref_vault.transaction() as s,
    ):
        reopen_period(s, "Q2")
    with ref_vault.session() as session:
        assert [i.period for i in list_closed(session)] == [Q3]
        periods = select(AuditEntry).where(AuditEntry.action.like("period_%"))
        assert len(session.scalars(periods).all()) == 1


def test_closed_period_keeps_the_casework_figures_and_distributions(vault: Vault) -> None:
    fill(vault, casework_records)
    with vault.session() as session:
        before = compute_figures(session, Q3)
    with vault.transaction() as session:
        close_period(session, Q3, today=LATER)
    with vault.transaction() as session:
        session.execute(delete(Family))  # every family erased on request
    with vault.session() as session:
        assert compute_figures(session, Q3).totals["screenings"] == 0
        kept = figures_for_period(session, Q3)
        stored = session.scalars(select(ClosedPeriod)).one().figures
    assert kept == before
    assert kept.totals["median_days_to_first_contact"] == 5.5
    assert kept.distributions["median_support_days"] == {0: 1, 12: 1, 181: 1}
    assert stored["distributions"]["median_days_to_first_contact"] == {"5": 2, "6": 1, "234": 1}
    assert not kept.absent


def test_a_period_closed_by_an_older_lotse_reads_with_empty_casework_figures(
    ref_vault: Vault,
) -> None:
    with ref_vault.session() as session:
        figures = compute_figures(session, Q3).to_dict()
    # What an older Lotse stored: version 1, no casework figures, no distributions.
    figures["version"] = 1
    del figures["distributions"]
    for key in ADDED_IN_V2:
        figures["totals"].pop(key, None)
        figures["breakdowns"].pop(key, None)
    with ref_vault.transaction() as session:
        session.add(ClosedPeriod(label=Q3.label, start=Q3.start, end=Q3.end, figures=figures))
    with ref_vault.session() as session:
        kept = figures_for_period(session, Q3)
        report = build_report(session, Q3, False, 3, "")
    assert kept.totals["families_reached"] == 3
    assert kept.totals["screenings"] == 0
    assert kept.totals["median_support_days"] is None
    assert kept.breakdowns["closures_by_reason"]["unknown"] == 0
    assert kept.breakdowns["referrals_by_mode"]["unknown"] == kept.totals["referrals"] == 3
    assert kept.absent == ADDED_IN_V2
    assert report["closed"] is True
    assert list(report["totals"]) == list(TOTAL_KEYS)
    assert any("älteren Lotse-Version" in note for note in report["notes"])
