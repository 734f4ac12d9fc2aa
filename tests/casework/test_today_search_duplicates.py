"""The "Heute" lists, the families list with search and filters, duplicate hints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from lotse.casework import families, followups
from lotse.casework.duplicates import possible_duplicates
from lotse.casework.families import FamilyInput
from lotse.casework.followups import ContactInput, ReferralInput, ReminderInput
from lotse.casework.listing import Filter, Status, apply_filter, load_rows, phone_digits
from lotse.casework.today import due_reminders, waiting_referrals
from lotse.vault import Vault
from tests.conftest import documented

TODAY = dt.date(2026, 5, 20)
T = TypeVar("T")


def _tx(vault: Vault, fn: Callable[..., T], *args: object) -> T:
    """Run the casework function ``fn`` in one transaction, as a use case does."""
    with vault.transaction() as session:
        return fn(session, *args)


def _family(vault: Vault, name: str, phone: str = "", district: str | None = None) -> int:
    return _tx(
        vault,
        families.record_first_contact,
        FamilyInput(person_name=name, person_phone=phone, district=district, consents=documented()),
        ContactInput(date=TODAY - dt.timedelta(days=30)),
    ).family_id


def test_today_lists(vault: Vault) -> None:
    a = _family(vault, "Anna Schäfer")
    b = _family(vault, "Elif Kaya")
    _tx(vault, followups.add_reminder, a, ReminderInput(TODAY, "heute"))
    _tx(vault, followups.add_reminder, a, ReminderInput(TODAY + dt.timedelta(days=1), "morgen"))
    done = _tx(vault, followups.add_reminder, b, ReminderInput(TODAY - dt.timedelta(days=3), "alt"))
    _tx(vault, followups.set_reminder_done, done, TODAY)
    old = _tx(
        vault, followups.add_referral, b, ReferralInput(TODAY - dt.timedelta(days=15), "midwife")
    )
    _tx(vault, followups.add_referral, b, ReferralInput(TODAY - dt.timedelta(days=14), "jobcenter"))
    answered = _tx(
        vault, followups.add_referral, a, ReferralInput(TODAY - dt.timedelta(days=40), "jobcenter")
    )
    _tx(vault, followups.change_referral_status, answered, "arrived", TODAY - dt.timedelta(days=20))
    with vault.session() as s:
        assert [r.text for r in due_reminders(s, TODAY)] == ["heute"]
        waiting = waiting_referrals(s, TODAY)
    assert [w.referral_id for w in waiting] == [old]
    assert waiting[0].days_waiting(TODAY) == 15


def test_search_and_filters(vault: Vault) -> None:
    a = _family(vault, "Anna Schäfer", "0208 0111222", "osterfeld")
    b = _family(vault, "Elif Kaya", "+49 208 0333444", "ost")
    with vault.session() as s:
        data = families.family_input(families.get_family(s, b))
    data.closed = TODAY
    _tx(vault, families.update_family, b, data)
    _tx(vault, followups.add_reminder, a, ReminderInput(TODAY - dt.timedelta(days=1), "x"))
    with vault.session() as s:
        rows = load_rows(s)

    def ids(flt: Filter) -> list[int]:
        return [r.id for r in apply_filter(rows, flt, TODAY)]

    assert ids(Filter()) == [a, b]
    assert ids(Filter(text="schä")) == [a]
    assert ids(Filter(text="F-2026-0002")) == [b]
    assert ids(Filter(text="020803334")) == [b]  # digits only find "+49 208 0333444"
    assert ids(Filter(text="osterfeld")) == [a]
    assert ids(Filter(text="anna kaya")) == []
    assert ids(Filter(text="osterfeld  ANNA")) == [a]  # every word, in any order and case
    assert ids(Filter(text="0208 f-2026")) == [a, b]  # the list's order kept
    assert ids(Filter(status=Status.OPEN)) == [a]
    assert ids(Filter(status=Status.CLOSED)) == [b]
    assert ids(Filter(district="ost")) == [b]
    assert ids(Filter(due_only=True)) == [a]


def test_phone_digits() -> None:
    assert phone_digits("+49 (208) 0123-45") == "0208012345"
    assert phone_digits("0049 208 01") == "020801"
    assert phone_digits(None) == ""


def test_duplicates_by_sound_and_phone(vault: Vault) -> None:
    a = _family(vault, "Anna Schäfer", "0208 0111222")
    b = _family(vault, "Anna Becker", "0208 0999888")
    c = _family(vault, "Meier", "")
    with vault.session() as s:
        rows = load_rows(s)
    assert [r.id for r in possible_duplicates(rows, "Anna Schaefer", "")] == [a]
    assert [r.id for r in possible_duplicates(rows, "Mayer", "")] == [c]
    assert [r.id for r in possible_duplicates(rows, "", "+49 208 0999888")] == [b]
    assert possible_duplicates(rows, "An", "") == []
    assert possible_duplicates(rows, "Zeynep Demir", "0208") == []
