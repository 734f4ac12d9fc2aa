"""The families list rows: all at once, page by page, one family after a change."""

from __future__ import annotations

import datetime as dt

from lotse.casework import families, followups
from lotse.casework.families import FamilyInput
from lotse.casework.followups import ContactInput, ReminderInput
from lotse.casework.listing import FamilyRow, load_page, load_row, load_rows
from lotse.vault import Vault
from tests.conftest import documented

TODAY = dt.date(2026, 5, 20)


def _family(vault: Vault, name: str, phone: str = "", district: str | None = None) -> int:
    with vault.transaction() as session:
        return families.record_first_contact(
            session,
            FamilyInput(
                person_name=name, person_phone=phone, district=district, consents=documented()
            ),
            ContactInput(date=TODAY - dt.timedelta(days=30)),
        ).family_id


def test_rows_carry_the_latest_contact_and_the_next_open_reminder(vault: Vault) -> None:
    family = _family(vault, "Anna Schäfer", "+49 208 0111222", "osterfeld")
    other = _family(vault, "Elif Kaya")
    with vault.transaction() as session:
        followups.add_contact(session, family, ContactInput(date=TODAY - dt.timedelta(days=2)))
        followups.add_contact(session, family, ContactInput(date=TODAY - dt.timedelta(days=9)))
        done = followups.add_reminder(session, family, ReminderInput(TODAY, "erledigt"))
        followups.set_reminder_done(session, done, TODAY)
        followups.add_reminder(session, family, ReminderInput(TODAY + dt.timedelta(days=5), "a"))
        followups.add_reminder(session, family, ReminderInput(TODAY + dt.timedelta(days=3), "b"))
    with vault.session() as session:
        rows = {row.id: row for row in load_rows(session)}
    row = rows[family]
    assert row.last_contact == TODAY - dt.timedelta(days=2)
    assert row.next_due == TODAY + dt.timedelta(days=3)  # the done one does not count
    assert row.phone == "+49 208 0111222"
    # Searchable as typed and as digits with the national 0; the district by its name.
    for word in ("schäfer", "+49 208", "02080111222", "osterfeld"):
        assert word in row.haystack, word
    assert rows[other].next_due is None and rows[other].phone == ""
    assert rows[other].haystack.split() == [rows[other].code.casefold(), "elif", "kaya"]


def test_rows_come_page_by_page_in_code_order(vault: Vault) -> None:
    for i in range(7):
        _family(vault, f"Familie {i}")
    with vault.session() as session:
        whole = load_rows(session)

        def pages(descending: bool) -> list[list[FamilyRow]]:
            found, after, limit = [], None, 2
            while True:
                page = load_page(session, after, limit, descending)
                found.append(page)
                if len(page) < limit:
                    return found
                after, limit = page[-1].code, 3

        forwards, backwards = pages(False), pages(True)
    assert [len(p) for p in forwards] == [2, 3, 2]
    assert [r for p in forwards for r in p] == whole
    assert [r.code for r in whole] == sorted(r.code for r in whole)
    assert [r for p in backwards for r in p] == whole[::-1]
    # Rows share their day objects: 100,000 rows do not hold 300,000 dates.
    assert whole[0].last_contact is whole[1].last_contact


def test_one_row_is_the_row_of_the_whole_list(vault: Vault) -> None:
    family = _family(vault, "Anna Schäfer", "0208 0111222", "osterfeld")
    _family(vault, "Elif Kaya")
    with vault.transaction() as session:
        followups.add_reminder(session, family, ReminderInput(TODAY, "anrufen"))
    with vault.session() as session:
        assert load_row(session, family) in load_rows(session)
        assert load_row(session, 9999) is None
