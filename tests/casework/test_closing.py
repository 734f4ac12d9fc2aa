"""Closing an accompaniment with its date and reason, reopening it, the list by reason."""

from __future__ import annotations

import datetime as dt

import pytest

from lotse.casework import closing, families
from lotse.casework.errors import CaseworkInputError
from lotse.casework.families import FamilyInput
from lotse.casework.followups import ContactInput
from lotse.casework.listing import NO_REASON, Filter, Status, apply_filter, load_rows
from lotse.db.models import Family
from lotse.errors import BadInputError
from lotse.vault import Vault

D = dt.date(2026, 3, 2)


def _family(vault: Vault) -> int:
    with vault.transaction() as s:
        return families.record_first_contact(s, FamilyInput(adults=1), ContactInput(D)).family_id


def test_close_and_reopen(vault: Vault) -> None:
    fid = _family(vault)
    with vault.transaction() as s:
        closing.close_family(s, fid, D + dt.timedelta(days=40), "handed_over")
    with vault.session() as s:
        row = s.get(Family, fid)
        assert row is not None
        assert (row.closed, row.closure_reason) == (D + dt.timedelta(days=40), "handed_over")
        assert families.family_input(row).closure_reason == "handed_over"
    with vault.transaction() as s:
        closing.reopen_family(s, fid)
    with vault.session() as s:
        row = s.get(Family, fid)
        assert row is not None and (row.closed, row.closure_reason) == (None, None)


@pytest.mark.parametrize(
    ("closed", "reason", "message"),
    [
        (D, None, "Grund des Abschlusses: bitte angeben."),
        (D, "bored", "Grund des Abschlusses: unbekannter Wert bored."),
        (dt.date(1899, 12, 31), "completed", "Abgeschlossen am: das Datum 31.12.1899 liegt"),
    ],
)
def test_closing_needs_a_date_and_a_known_reason(
    vault: Vault, closed: dt.date, reason: str | None, message: str
) -> None:
    fid = _family(vault)
    with pytest.raises(CaseworkInputError) as err, vault.transaction() as s:
        closing.close_family(s, fid, closed, reason)
    assert any(d.startswith(message) for d in err.value.details), err.value.details
    with vault.session() as s:
        row = s.get(Family, fid)
        assert row is not None and row.closed is None and row.closure_reason is None


def test_closing_a_family_that_is_gone(vault: Vault) -> None:
    with pytest.raises(BadInputError), vault.transaction() as s:
        closing.close_family(s, 4711, D, "completed")


def test_the_families_list_filters_by_closure_reason(vault: Vault) -> None:
    ids = [_family(vault) for _ in range(4)]
    with vault.transaction() as s:
        closing.close_family(s, ids[0], D, "handed_over")
        closing.close_family(s, ids[1], D, "completed")
        row = s.get(Family, ids[2])
        assert row is not None
        row.closed = D  # closed before reasons were documented (an older import)
    with vault.session() as s:
        rows = load_rows(s)
    assert {r.id: r.closure_reason for r in rows}[ids[0]] == "handed_over"

    def shown(**kw: object) -> list[int]:
        return sorted(r.id for r in apply_filter(rows, Filter(**kw), D))  # type: ignore[arg-type]

    assert shown(reason="handed_over") == [ids[0]]
    assert shown(reason=NO_REASON) == [ids[2]]
    assert shown(reason="moved_away") == []
    assert shown(status=Status.OPEN) == [ids[3]]
    assert shown(status=Status.CLOSED, reason="completed") == [ids[1]]
