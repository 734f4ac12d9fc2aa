"""Contacts, referrals with status history, reminders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

import pytest

from lotse.casework import families, followups
from lotse.casework.errors import CaseworkInputError
from lotse.casework.families import FamilyInput
from lotse.casework.followups import ContactInput, ReferralInput, ReminderInput
from lotse.casework.timeline import Kind, family_timeline
from lotse.db.models import Contact, Referral, Reminder
from lotse.errors import BadInputError
from lotse.vault import Vault
from tests.conftest import documented

D = dt.date(2026, 3, 2)
T = TypeVar("T")


def _tx(vault: Vault, fn: Callable[..., T], *args: object) -> T:
    """Run the casework function ``fn`` in one transaction, as a use case does."""
    with vault.transaction() as session:
        return fn(session, *args)


@pytest.fixture
def family_id(vault: Vault) -> int:
    return _tx(
        vault,
        families.record_first_contact,
        FamilyInput(adults=1, consents=documented()),
        ContactInput(date=D, minutes=20),
    ).family_id


def test_contact_add_edit_delete(vault: Vault, family_id: int) -> None:
    cid = _tx(
        vault,
        followups.add_contact,
        family_id,
        ContactInput(date=D, kind="home_visit", topics=["health", "health"]),
    )
    _tx(
        vault,
        followups.update_contact,
        cid,
        ContactInput(date=D, kind="phone", minutes=5, topics=["debt", "health"]),
    )
    data = _tx(vault, followups.contact_input, cid)
    assert (data.kind, data.minutes, data.topics) == ("phone", 5, ["debt", "health"])
    _tx(vault, followups.delete_contact, cid)
    with vault.session() as s:
        assert s.get(Contact, cid) is None


def test_bad_contact_stores_nothing(vault: Vault, family_id: int) -> None:
    with pytest.raises(CaseworkInputError, match="nichts wurde gespeichert"):
        _tx(vault, followups.add_contact, family_id, ContactInput(date=D, kind="party"))
    with vault.session() as s:
        assert len(s.query(Contact).all()) == 1


def test_referral_status_history_in_timeline(vault: Vault, family_id: int) -> None:
    rid = _tx(vault, followups.add_referral, family_id, ReferralInput(D, "jobcenter"))
    _tx(vault, followups.change_referral_status, rid, "arranged", D + dt.timedelta(days=3))
    _tx(vault, followups.change_referral_status, rid, "arrived", D + dt.timedelta(days=10))
    with vault.session() as s:
        referral = s.get(Referral, rid)
        assert referral is not None
        assert (referral.status, referral.status_date) == ("arrived", D + dt.timedelta(days=10))
        history = followups.status_history(s, rid)
        assert [h.status for h in history] == ["suggested", "arranged", "arrived"]
        entries = family_timeline(s, family_id)
    assert [e.kind for e in entries] == [Kind.STATUS, Kind.STATUS, Kind.REFERRAL, Kind.CONTACT]
    assert entries[0].title == "Vermittlung an Jobcenter: Angekommen"
    assert [e.date for e in entries] == sorted((e.date for e in entries), reverse=True)


def test_status_before_referral_is_refused(vault: Vault, family_id: int) -> None:
    rid = _tx(vault, followups.add_referral, family_id, ReferralInput(D, "jobcenter"))
    with pytest.raises(BadInputError, match="nicht vor der Vermittlung"):
        _tx(vault, followups.change_referral_status, rid, "arrived", D - dt.timedelta(days=1))
    with pytest.raises(CaseworkInputError, match="nichts wurde gespeichert"):
        _tx(vault, followups.change_referral_status, rid, "lost", D)
    with vault.session() as s:
        assert [h.status for h in followups.status_history(s, rid)] == ["suggested"]


def test_delete_referral_removes_history(vault: Vault, family_id: int) -> None:
    rid = _tx(vault, followups.add_referral, family_id, ReferralInput(D, "midwife"))
    _tx(vault, followups.change_referral_status, rid, "declined", D)
    _tx(vault, followups.delete_referral, rid)
    with vault.session() as s:
        assert followups.status_history(s, rid) == []


def test_reminders(vault: Vault, family_id: int) -> None:
    with pytest.raises(CaseworkInputError) as info:
        _tx(vault, followups.add_reminder, family_id, ReminderInput(D, "  "))
    assert info.value.details == ["Wiedervorlage: bitte kurz angeben, worum es geht."]
    mid = _tx(vault, followups.add_reminder, family_id, ReminderInput(D, "Kita-Platz nachfragen"))
    _tx(vault, followups.update_reminder, mid, ReminderInput(D + dt.timedelta(days=1), "Rückruf"))
    _tx(vault, followups.set_reminder_done, mid, D)
    with vault.session() as s:
        row = s.get(Reminder, mid)
        assert row is not None and (row.text, row.done) == ("Rückruf", D)
        entries = family_timeline(s, family_id)
    assert entries[0].kind is Kind.REMINDER and "erledigt am 02.03.2026" in entries[0].details
    _tx(vault, followups.delete_reminder, mid)
    with pytest.raises(BadInputError, match="nicht mehr vorhanden"):
        _tx(vault, followups.delete_reminder, mid)


def test_correct_a_referral(vault: Vault, family_id: int) -> None:
    rid = _tx(vault, followups.add_referral, family_id, ReferralInput(D, "midwife"))
    later = D + dt.timedelta(days=2)
    _tx(vault, followups.update_referral, rid, ReferralInput(later, "family_midwife", notes=" x "))
    data = _tx(vault, followups.referral_input, rid)
    assert (data.date, data.target, data.notes, data.status) == (
        later,
        "family_midwife",
        "x",
        "suggested",
    )
    with vault.session() as s:
        assert [h.date for h in followups.status_history(s, rid)] == [later]
    _tx(vault, followups.change_referral_status, rid, "arrived", later + dt.timedelta(days=5))
    with pytest.raises(BadInputError, match="nicht nach ihrem ersten Stand"):
        _tx(
            vault,
            followups.update_referral,
            rid,
            ReferralInput(later + dt.timedelta(days=9), "family_midwife"),
        )
    with pytest.raises(CaseworkInputError):
        _tx(vault, followups.update_referral, rid, ReferralInput(later, "nowhere"))
    assert _tx(vault, followups.referral_input, rid).target == "family_midwife"
