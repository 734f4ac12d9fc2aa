"""Recording, editing and deleting families on a real vault."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

import pytest
from sqlalchemy import func, select

from lotse.casework import families, followups
from lotse.casework.errors import CaseworkInputError
from lotse.casework.families import FamilyInput
from lotse.casework.followups import ContactInput, ReferralInput, ReminderInput
from lotse.db.models import Child, Contact, ContactTopic, Family, Referral, Reminder
from lotse.domain.entities import ConsentData
from lotse.records.importer import CodeAllocator
from lotse.vault import Vault

TODAY = dt.date(2026, 5, 4)
T = TypeVar("T")


def _tx(vault: Vault, fn: Callable[..., T], *args: object) -> T:
    """Run the casework function ``fn`` in one transaction, as a use case does."""
    with vault.transaction() as session:
        return fn(session, *args)


def _count(vault: Vault, model: type) -> int:
    with vault.session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def _first(vault: Vault, **kw: object) -> families.Created:
    data = FamilyInput(
        adults=2,
        children=[dt.date(2022, 1, 5), dt.date(2026, 6, 1)],
        district="osterfeld",
        access_route="birth_clinic",
        sgb2=True,
        languages=["de", "tr"],
        person_name="Anna Schäfer",
        person_phone="0208 0123456",
        consents=[ConsentData("documentation", TODAY), ConsentData("statistics", TODAY)],
    )
    for key, value in kw.items():
        setattr(data, key, value)
    contact = ContactInput(date=TODAY, minutes=40, setting="clinic", topics=["finances", "housing"])
    referrals = [ReferralInput(date=TODAY, target="family_midwife", status="arranged")]
    return _tx(vault, families.record_first_contact, data, contact, referrals)


def test_first_contact_stores_family_contact_referral(vault: Vault) -> None:
    created = _first(vault)
    assert created.code == "F-2026-0001"
    with vault.session() as s:
        family = s.get(Family, created.family_id)
        assert family is not None
        assert family.person_name == "Anna Schäfer"
        assert [c.birth_date for c in family.children] == [dt.date(2026, 6, 1), dt.date(2022, 1, 5)]
        assert [(c.kind, c.minutes) for c in family.contacts] == [("first_contact", 40)]
        assert [t.topic for t in family.contacts[0].topics] == ["finances", "housing"]
        assert [(r.target, r.status) for r in family.referrals] == [("family_midwife", "arranged")]
        history = followups.status_history(s, family.referrals[0].id)
        assert [(h.status, h.date) for h in history] == [("arranged", TODAY)]


def test_codes_continue_the_allocator(vault: Vault) -> None:
    first = _first(vault)
    second = _first(vault, person_name="Lena Koch")
    assert (first.code, second.code) == ("F-2026-0001", "F-2026-0002")
    with vault.session() as s:
        assert CodeAllocator(s).new(2026) == "F-2026-0003"


def test_bad_input_lists_every_problem_and_stores_nothing(vault: Vault) -> None:
    data = FamilyInput(
        adults=25,
        district="atlantis",
        languages=["deutsch"],
        consents=[ConsentData("transfer", TODAY)],
    )
    contact = ContactInput(date=dt.date(1800, 1, 1), minutes=900, topics=["nonsense"])
    with pytest.raises(CaseworkInputError) as info:
        _tx(vault, families.record_first_contact, data, contact)
    text = "\n".join(info.value.details)
    assert "Erwachsene: erlaubt sind 0 bis 20." in text
    assert "Sozialraum: unbekannter Wert atlantis." in text
    assert "deutsch ist kein zweistelliger Sprachcode" in text
    assert "Empfänger: bitte angeben." in text  # a transfer consent names its recipient
    assert "Minuten: erlaubt sind 0 bis 600." in text
    assert "Themen: unbekannter Wert nonsense." in text
    assert "außerhalb von 1900 bis 2199" in text
    assert "nichts wurde gespeichert" in info.value.message
    assert _count(vault, Family) == 0 and _count(vault, Contact) == 0


def test_update_family_replaces_household(vault: Vault) -> None:
    created = _first(vault)
    with vault.session() as s:
        data = families.family_input(families.get_family(s, created.family_id))
    data.adults = 1
    data.children = [dt.date(2020, 2, 2)]
    data.closed = TODAY
    data.person_name = "  "
    _tx(vault, families.update_family, created.family_id, data)
    with vault.session() as s:
        family = families.get_family(s, created.family_id)
        assert family.adults == 1
        assert family.person_name is None
        assert family.closed == TODAY
        assert [c.birth_date for c in family.children] == [dt.date(2020, 2, 2)]
    assert _count(vault, Child) == 1


def test_update_with_bad_input_keeps_stored_data(vault: Vault) -> None:
    created = _first(vault)
    with pytest.raises(CaseworkInputError):
        _tx(vault, families.update_family, created.family_id, FamilyInput(adults=-1))
    with vault.session() as s:
        assert families.get_family(s, created.family_id).adults == 2


def test_delete_family_takes_everything_with_it(vault: Vault) -> None:
    created = _first(vault)
    _tx(vault, followups.add_reminder, created.family_id, ReminderInput(TODAY, "Rückruf"))
    summary = _tx(vault, families.deletion_summary, created.family_id)
    assert "F-2026-0001" in summary
    assert "1 Kontakt" in summary and "1 Vermittlung" in summary and "1 Wiedervorlage" in summary
    _tx(vault, families.delete_family, created.family_id)
    for model in (Family, Child, Contact, ContactTopic, Referral, Reminder):
        assert _count(vault, model) == 0, model


def test_missing_family_is_a_clear_error(vault: Vault) -> None:
    with pytest.raises(Exception, match="gibt es nicht mehr"):
        _tx(vault, families.update_family, 999, FamilyInput())
