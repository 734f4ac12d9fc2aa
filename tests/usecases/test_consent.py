"""The consent register's rules through the use cases, on a real vault."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from lotse.casework.errors import CaseworkInputError
from lotse.db.models import AuditEntry, Contact, Family, Referral, Reminder
from lotse.errors import BadInputError
from lotse.stats.period import parse_period
from lotse.usecases import ContactInput, FamilyInput, ReferralInput, ReminderInput, VaultAPI
from lotse.usecases.consent import ConsentInput
from lotse.vault import Vault

TODAY = dt.date.today()
DAY = dt.timedelta(days=1)
SIGNED = TODAY - 20 * DAY


def _log(vault: Vault, action: str) -> list[dict]:
    with vault.session() as s:
        query = select(AuditEntry.details).where(AuditEntry.action == action)
        return list(s.scalars(query.order_by(AuditEntry.id)))


def _family(api: VaultAPI, *consents: ConsentInput, **values: object) -> int:
    data = FamilyInput(adults=1, consents=list(consents), **values)  # type: ignore[arg-type]
    return api.families.record_first_contact(data, ContactInput(date=SIGNED)).family_id


def test_without_documentation_consent_the_family_stays_anonymous(api: VaultAPI) -> None:
    with pytest.raises(CaseworkInputError) as refused:
        _family(api, person_name="Mira Test", person_phone="0208 1")
    [message] = refused.value.details
    assert "Einwilligung zur Dokumentation" in message and "Name, Telefon" in message
    assert api.families.rows() == []
    # A statistics consent alone does not allow a name either.
    with pytest.raises(CaseworkInputError):
        _family(api, ConsentInput("statistics", SIGNED), notes="Notiz")
    # Anonymous: code and statistical fields only. Stored, and counted in the statistics.
    family = _family(api, district="osterfeld")
    assert api.families.get(family).data.district == "osterfeld"
    period = parse_period(f"{SIGNED.year}")
    assert api.statistics.figures(period).figures.totals["families_reached"] == 1


def test_no_personal_text_in_the_records_of_an_anonymous_family(api: VaultAPI) -> None:
    family = _family(api)
    with pytest.raises(CaseworkInputError, match="nichts wurde gespeichert"):
        api.followups.add_contact(family, ContactInput(date=TODAY, notes="privat"))
    with pytest.raises(CaseworkInputError):
        api.followups.add_referral(family, ReferralInput(TODAY, "midwife", notes="privat"))
    with pytest.raises(CaseworkInputError):
        api.followups.add_reminder(family, ReminderInput(TODAY, "Frau M. anrufen"))
    # Without text, a reminder is fine: a date and the family's code say enough.
    reminder = api.followups.add_reminder(family, ReminderInput(TODAY, ""))
    assert api.followups.reminder(reminder).text == ""
    api.followups.add_contact(family, ContactInput(date=TODAY, kind="phone", minutes=5))


def test_with_documentation_consent_personal_data_is_stored(api: VaultAPI) -> None:
    family = _family(api, ConsentInput("documentation", SIGNED), person_name="Mira Test")
    api.followups.add_contact(family, ContactInput(date=TODAY, notes="kam mit Kind"))
    assert api.families.get(family).data.person_name == "Mira Test"


def test_a_consent_valid_only_later_does_not_count_today(api: VaultAPI) -> None:
    with pytest.raises(CaseworkInputError):
        _family(api, ConsentInput("documentation", TODAY + DAY), person_name="Mira Test")
    gone = ConsentInput("documentation", SIGNED, withdrawn=SIGNED + DAY)
    with pytest.raises(CaseworkInputError):
        _family(api, gone, person_name="Mira Test")


def test_a_referral_passing_data_on_needs_referral_consent(api: VaultAPI) -> None:
    family = _family(api, ConsentInput("documentation", SIGNED))
    accompanied = ReferralInput(TODAY, "youth_welfare_office", mode="accompanied")
    with pytest.raises(CaseworkInputError) as refused:
        api.followups.add_referral(family, accompanied)
    assert "Einwilligung zur Vermittlung" in refused.value.details[0]
    contact_made = ReferralInput(TODAY, "jobcenter", mode="contact_made")
    with pytest.raises(CaseworkInputError):
        api.followups.add_referral(family, contact_made)
    # Telling the family about a service passes nothing on.
    api.followups.add_referral(family, ReferralInput(TODAY, "jobcenter", mode="information"))
    # With a referral consent valid on the referral's date, it is stored.
    with_consent = _family(api, ConsentInput("referral", SIGNED))
    rid = api.followups.add_referral(with_consent, accompanied)
    assert api.followups.referral(rid).mode == "accompanied"
    # A referral dated before the consent was given is not covered by it.
    early = ReferralInput(SIGNED - DAY, "jobcenter", mode="contact_made")
    with pytest.raises(CaseworkInputError):
        api.followups.add_referral(with_consent, early)


def test_a_first_contact_with_referrals_obeys_both_rules(api: VaultAPI) -> None:
    referral = ReferralInput(SIGNED, "jobcenter", mode="accompanied")
    with pytest.raises(CaseworkInputError):
        api.families.record_first_contact(
            FamilyInput(consents=[ConsentInput("documentation", SIGNED)]),
            ContactInput(date=SIGNED),
            [referral],
        )
    created = api.families.record_first_contact(
        FamilyInput(consents=[ConsentInput("referral", SIGNED)]),
        ContactInput(date=SIGNED),
        [referral],
    )
    assert created.code


def test_withdrawal_is_recorded_logged_and_may_erase_personal_data(
    api: VaultAPI, vault: Vault
) -> None:
    family = _family(
        api,
        ConsentInput("documentation", SIGNED),
        ConsentInput("statistics", SIGNED),
        person_name="Mira Test",
        person_phone="0208 1",
        notes="Familiennotiz",
    )
    api.followups.add_contact(family, ContactInput(date=TODAY, notes="Kontaktnotiz"))
    api.followups.add_referral(family, ReferralInput(TODAY, "midwife", notes="Vermittlung"))
    api.followups.add_reminder(family, ReminderInput(TODAY, "anrufen"))
    with pytest.raises(BadInputError, match="zwischen dem Tag der Einwilligung"):
        api.consents.withdraw(family, 0, SIGNED - DAY)
    result = api.consents.withdraw(family, 0, TODAY, erase_personal=True)
    assert result.purpose == "documentation" and result.erased is not None
    assert (result.erased.family, result.erased.contacts, result.erased.reminders) == (True, 1, 1)
    data = api.families.get(family).data
    assert (data.person_name, data.person_phone, data.notes) == (None, None, None)
    assert data.consents[0].withdrawn == TODAY and data.consents[1].withdrawn is None
    with vault.session() as s:
        assert s.scalars(select(Contact.notes)).all() == [None, None]
        assert s.scalars(select(Referral.notes)).all() == [None]
        assert s.scalars(select(Reminder.text)).all() == [""]
    code = api.families.get(family).code
    assert _log(vault, "consent_withdrawn") == [
        {
            "family": code,
            "purpose": "documentation",
            "given": SIGNED.isoformat(),
            "withdrawn": TODAY.isoformat(),
        }
    ]
    [erased] = _log(vault, "personal_data_erased")
    assert erased == {
        "family": code,
        "person": True,
        "contacts": 1,
        "referrals": 1,
        "reminders": 1,
    }
    # The log names the family by code only, never the data that was erased.
    with vault.session() as s:
        text = str(s.scalars(select(AuditEntry.details)).all())
    assert "Mira" not in text and "notiz" not in text.lower()
    with pytest.raises(BadInputError, match="schon am"):
        api.consents.withdraw(family, 0, TODAY)


def test_withdrawal_without_erasing_keeps_the_data_and_lists_the_family(api: VaultAPI) -> None:
    family = _family(api, ConsentInput("documentation", SIGNED), person_name="Mira Test")
    assert api.consents.missing(TODAY) == []
    api.consents.withdraw(family, 0, TODAY)
    assert api.families.get(family).data.person_name == "Mira Test"
    [missing] = api.consents.missing(TODAY)
    assert (missing.family_id, missing.personal, missing.referral) == (family, True, False)
    # The stored name may stay as it is while the household is corrected …
    data = api.families.get(family).data
    data.adults = 3
    api.families.update(family, data)
    # … but nothing new or changed is stored without consent.
    data.person_phone = "0208 2"
    with pytest.raises(CaseworkInputError):
        api.families.update(family, data)
    # A withdrawal cannot be taken back by editing.
    data.person_phone = None
    data.consents[0].withdrawn = None
    with pytest.raises(CaseworkInputError) as kept:
        api.families.update(family, data)
    assert "bleibt erfasst" in kept.value.details[0]
    # A new consent brings the family off the list.
    data.consents = [*api.families.get(family).data.consents, ConsentInput("documentation", TODAY)]
    api.families.update(family, data)
    assert api.consents.missing(TODAY) == []


def test_a_withdrawal_made_in_the_form_is_logged_too(api: VaultAPI, vault: Vault) -> None:
    family = _family(api, ConsentInput("statistics", SIGNED))
    data = api.families.get(family).data
    data.consents[0].withdrawn = TODAY
    api.families.update(family, data)
    assert [d["purpose"] for d in _log(vault, "consent_withdrawn")] == ["statistics"]


def test_an_import_without_consent_is_accepted_and_listed(api: VaultAPI, tmp_path: Path) -> None:
    records = tmp_path / "sheet.jsonl"
    records.write_text(
        '{"format": "lotse.records/1"}\n'
        '{"type": "family", "id": "a", "adults": 1, "children": [],'
        ' "person": {"name": "Aus Tabelle"}}\n'
        '{"type": "family", "id": "b", "adults": 1, "children": [],'
        ' "person": {"name": "Mit Einwilligung"},'
        f' "consent": {{"date": "{SIGNED.isoformat()}", "scope": ["documentation"]}}}}\n'
        '{"type": "family", "id": "c", "adults": 2, "children": []}\n',
        encoding="utf-8",
    )
    summary = api.records.import_file(records)
    assert summary.families == 3
    assert [(m.name, m.personal) for m in api.consents.missing(TODAY)] == [("Aus Tabelle", True)]


def test_transfer_consent_names_its_recipient(api: VaultAPI) -> None:
    with pytest.raises(CaseworkInputError, match="nichts wurde gespeichert"):
        _family(api, ConsentInput("transfer", SIGNED))
    family = _family(api, ConsentInput("transfer", SIGNED, recipient="Familienbüro Sterkrade"))
    assert api.families.get(family).data.consents[0].recipient == "Familienbüro Sterkrade"


def test_the_register_round_trips_with_every_field(api: VaultAPI, vault: Vault) -> None:
    consents = [
        ConsentInput("documentation", SIGNED, form_language="tr"),
        ConsentInput("referral", SIGNED, recipient="Jugendamt", withdrawn=TODAY),
    ]
    family = _family(api, *consents)
    assert api.families.get(family).data.consents == consents
    with vault.session() as s:
        assert s.scalars(select(Family.code)).one()
