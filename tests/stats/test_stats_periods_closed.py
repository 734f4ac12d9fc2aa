"""Closing and reopening periods: frozen figures, the log, and clear refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, select

from lotse.db.models import AuditEntry, ClosedPeriod, Contact
from lotse.errors import BadInputError
from lotse.stats.figures import compute_figures, figures_for_period
from lotse.stats.period import parse_period
from lotse.stats.periods_closed import close_period, is_closed, list_closed, reopen_period
from lotse.vault import Vault
from tests.stats.builders import fill, reference_records

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
        log = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [e.action for e in log] == ["period_closed", "period_reopened"]
    assert log[1].details["period"] == "2026-Q3"


def test_stored_aggregates_hold_no_record(ref_vault: Vault) -> None:
    with ref_vault.transaction() as session:
        close_period(session, Q3, today=LATER)
    with ref_vault.session() as session:
        row = session.scalars(select(ClosedPeriod)).one()
    assert set(row.figures) == {"version", "totals", "breakdowns"}
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
        assert len(session.scalars(select(AuditEntry)).all()) == 1
