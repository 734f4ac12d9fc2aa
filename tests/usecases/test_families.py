"""Families through the API: one transaction per use case, nothing half-stored."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from lotse.casework.errors import CaseworkInputError
from lotse.db.models import Contact, Family, Referral, ReferralStatusChange
from lotse.errors import BadInputError
from lotse.usecases import ContactInput, FamilyInput, ReferralInput, ReminderInput, VaultAPI
from lotse.vault import Vault
from tests.conftest import documented

D = dt.date(2026, 3, 2)


def _count(vault: Vault, model: type) -> int:
    with vault.session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_first_contact_is_stored_with_its_referrals(api: VaultAPI) -> None:
    created = api.families.record_first_contact(
        FamilyInput(
            adults=2, person_name="Elif Kaya", person_phone="0208 0555", consents=documented()
        ),
        ContactInput(date=D, topics=["finances"]),
        [ReferralInput(date=D, target="family_midwife", status="arranged")],
    )
    assert created.code == "F-2026-0001"
    details = api.families.get(created.family_id)
    assert (details.code, details.data.adults, details.data.person_name) == (
        "F-2026-0001",
        2,
        "Elif Kaya",
    )
    [row] = api.families.rows()
    assert (row.id, row.name, row.last_contact) == (created.family_id, "Elif Kaya", D)


def test_a_refused_first_contact_stores_nothing(api: VaultAPI, vault: Vault) -> None:
    with pytest.raises(CaseworkInputError) as error:
        api.families.record_first_contact(
            FamilyInput(person_name="Elif Kaya", consents=documented()),
            ContactInput(date=D),
            [ReferralInput(date=D, target="jobcenter"), ReferralInput(date=D, target="moon")],
        )
    assert "Vermittelt an: unbekannter Wert moon." in error.value.details
    for model in (Family, Contact, Referral, ReferralStatusChange):
        assert _count(vault, model) == 0


def test_a_correction_refused_halfway_keeps_the_referral(api: VaultAPI) -> None:
    family = api.families.record_first_contact(FamilyInput(), ContactInput(date=D)).family_id
    rid = api.followups.add_referral(family, ReferralInput(D, "midwife"))
    api.followups.change_referral_status(rid, "arrived", D + dt.timedelta(days=5))
    with pytest.raises(BadInputError, match="nicht nach ihrem ersten Stand"):
        api.followups.update_referral(rid, ReferralInput(D + dt.timedelta(days=9), "jobcenter"))
    kept = api.followups.referral(rid)
    assert (kept.date, kept.target, kept.status) == (D, "midwife", "arrived")
    assert [(h.status, h.date) for h in api.followups.status_history(rid)] == [
        ("suggested", D),
        ("arrived", D + dt.timedelta(days=5)),
    ]


def test_delete_after_the_summary(api: VaultAPI, vault: Vault) -> None:
    family = api.families.record_first_contact(
        FamilyInput(consents=documented()), ContactInput(date=D)
    ).family_id
    api.followups.add_reminder(family, ReminderInput(D, "Rückruf"))
    summary = api.families.deletion_summary(family)
    assert "1 Kontakt" in summary and "1 Wiedervorlage" in summary
    api.families.delete(family)
    assert api.families.rows() == [] and _count(vault, Contact) == 0
    with pytest.raises(BadInputError, match="gibt es nicht mehr"):
        api.families.get(family)


def test_duplicates_leave_out_the_family_being_edited(api: VaultAPI) -> None:
    first = api.families.record_first_contact(
        FamilyInput(person_name="Anna Schäfer", person_phone="0208 0123456", consents=documented()),
        ContactInput(date=D),
    ).family_id
    second = api.families.record_first_contact(
        FamilyInput(person_name="Anna Schaefer", consents=documented()), ContactInput(date=D)
    ).family_id
    assert [r.id for r in api.families.duplicates("Anna Schefer", "")] == [first, second]
    assert [r.id for r in api.families.duplicates("Anna Schefer", "", exclude=first)] == [second]
    assert [r.id for r in api.families.duplicates("", "+49 208 0123456")] == [first]
