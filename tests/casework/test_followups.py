"""Contacts, referrals with status history, reminders."""

from __future__ import annotations

import datetime as dt

import pytest

from lotse.casework import families, followups
from lotse.casework.errors import CaseworkInputError
from lotse.casework.families import FamilyInput
from lotse.casework.followups import ContactInput, ReferralInput, ReminderInput
from lotse.casework.timeline import Kind, family_timeline
from lotse.db.models import Contact, Referral, Reminder
from lotse.errors import BadInputError
from lotse.vault import Vault

D = dt.date(2026, 3, 2)


@pytest.fixture
def family_id(vault: Vault) -> int:
    return families.record_first_contact(
        vault, FamilyInput(adults=1), ContactInput(date=D, minutes=20)
    ).family_id


def test_contact_add_edit_delete(vault: Vault, family_id: int) -> None:
    cid = followups.add_contact(
        vault, family_id, ContactInput(date=D, kind="home_visit", topics=["health", "health"])
    )
    followups.update_contact(
        vault, cid, ContactInput(date=D, kind="phone", minutes=5, topics=["debt", "health"])
    )
    data = followups.contact_input(vault, cid)
    assert (data.kind, data.minutes, data.topics) == ("phone", 5, ["debt", "health"])
    followups.delete_contact(vault, cid)
    with vault.session() as s:
        assert s.get(Contact, cid) is None


def test_bad_contact_stores_nothing(vault: Vault, family_id: int) -> None:
    with pytest.raises(CaseworkInputError, match="nichts wurde gespeichert"):
        followups.add_contact(vault, family_id, ContactInput(date=D, kind="party"))
    with vault.session() as s:
        assert len(s.query(Contact).all()) == 1


def test_referral_status_history_in_timeline(vault: Vault, family_id: int) -> None:
    rid = followups.add_referral(vault, family_id, ReferralInput(D, "jobcenter"))
    followups.change_referral_status(vault, rid, "arranged", D + dt.timedelta(days=3))
    followups.change_referral_status(vault, rid, "arrived", D + dt.timedelta(days=10))
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
    rid = followups.add_referral(vault, family_id, ReferralInput(D, "jobcenter"))
    with pytest.raises(BadInputError, match="nicht vor der Vermittlung"):
        followups.change_referral_status(vault, rid, "arrived", D - dt.timedelta(days=1))
    with pytest.raises(CaseworkInputError, match="nichts wurde gespeichert"):
        followups.change_referral_status(vault, rid, "lost", D)
    with vault.session() as s:
        assert [h.status for h in followups.status_history(s, rid)] == ["suggested"]


def test_delete_referral_removes_history(vault: Vault, family_id: int) -> None:
    rid = followups.add_referral(vault, family_id, ReferralInput(D, "midwife"))
    followups.change_referral_status(vault, rid, "declined", D)
    followups.delete_referral(vault, rid)
    with vault.session() as s:
        assert followups.status_history(s, rid) == []


def test_reminders(vault: Vault, family_id: int) -> None:
    with pytest.raises(CaseworkInputError) as info:
        followups.add_reminder(vault, family_id, ReminderInput(D, "  "))
    assert info.value.details == ["Wiedervorlage: bitte kurz angeben, worum es geht."]
    mid = followups.add_reminder(vault, family_id, ReminderInput(D, "Kita-Platz nachfragen"))
    followups.update_reminder(vault, mid, ReminderInput(D + dt.timedelta(days=1), "Rückruf"))
    followups.set_reminder_done(vault, mid, D)
    with vault.session() as s:
        row = s.get(Reminder, mid)
        assert row is not None and (row.text, row.done) == ("Rückruf", D)
        entries = family_timeline(s, family_id)
    assert entries[0].kind is Kind.REMINDER and "erledigt am 02.03.2026" in entries[0].details
    followups.delete_reminder(vault, mid)
    with pytest.raises(BadInputError, match="nicht mehr vorhanden"):
        followups.delete_reminder(vault, mid)


def test_correct_a_referral(vault: Vault, family_id: int) -> None:
    rid = followups.add_referral(vault, family_id, ReferralInput(D, "midwife"))
    later = D + dt.timedelta(days=2)
    followups.update_referral(vault, rid, ReferralInput(later, "family_midwife", notes=" x "))
    data = followups.referral_input(vault, rid)
    assert (data.date, data.target, data.notes, data.status) == (
        later,
        "family_midwife",
        "x",
        "suggested",
    )
    with vault.session() as s:
        assert [h.date for h in followups.status_history(s, rid)] == [later]
    followups.change_referral_status(vault, rid, "arrived", later + dt.timedelta(days=5))
    with pytest.raises(BadInputError, match="nicht nach ihrem ersten Stand"):
        followups.update_referral(
            vault, rid, ReferralInput(later + dt.timedelta(days=9), "family_midwife")
        )
    with pytest.raises(CaseworkInputError):
        followups.update_referral(vault, rid, ReferralInput(later, "nowhere"))
    assert followups.referral_input(vault, rid).target == "family_midwife"
