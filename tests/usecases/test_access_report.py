"""The access report (Art. 15) through the use cases: everything about one family, logged."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from lotse.db.models import AuditEntry
from lotse.errors import BadInputError
from lotse.usecases import ContactInput, FamilyInput, ReferralInput, ReminderInput, VaultAPI
from lotse.usecases.consent import ConsentInput
from lotse.vault import Vault

D = dt.date(2026, 3, 2)


def _family(api: VaultAPI) -> int:
    family = api.families.record_first_contact(
        FamilyInput(
            adults=2,
            children=[dt.date(2025, 12, 1)],
            district="osterfeld",
            person_name="Nora Beispiel",
            person_phone="0208 4711",
            consents=[
                ConsentInput("documentation", D, form_language="ar"),
                ConsentInput("referral", D),
            ],
        ),
        ContactInput(date=D, minutes=45, topics=["housing"], notes="Wohnung zu klein"),
        [ReferralInput(D, "family_midwife", mode="accompanied")],
    ).family_id
    [referral] = [e.ref_id for e in api.families.timeline(family) if e.kind.value == "referral"]
    api.followups.change_referral_status(referral, "arrived", D + dt.timedelta(days=9))
    api.followups.add_reminder(family, ReminderInput(D + dt.timedelta(days=30), "Kita-Platz"))
    # Another family: nothing of it may appear.
    api.families.record_first_contact(
        FamilyInput(person_name="Otto Fremd", consents=[ConsentInput("documentation", D)]),
        ContactInput(date=D, notes="fremde Notiz"),
    )
    return family


def test_the_report_holds_everything_about_the_family_and_nothing_else(
    api: VaultAPI,
) -> None:
    family = _family(api)
    api.consents.withdraw(family, 1, D + dt.timedelta(days=20))
    report = api.access_report.build(family)
    assert report.code == api.families.get(family).code
    person = {f.label: f.value for f in report.person}
    assert person == {"Name": "Nora Beispiel", "Telefon": "0208 4711"}
    household = {f.label: f.value for f in report.household}
    assert household["Sozialraum"] == "Osterfeld" and household["Code Ihrer Familie"] == report.code
    assert [(c.purpose, c.form_language, c.withdrawn) for c in report.consents] == [
        ("documentation", "ar", None),
        ("referral", None, D + dt.timedelta(days=20)),
    ]
    [contact] = report.contacts
    assert (contact.minutes, contact.notes, contact.topics) == (45, "Wohnung zu klein", ("Wohnen",))
    [referral] = report.referrals
    assert referral.mode_label == "Zum ersten Termin begleitet"
    assert [(s.status, s.date) for s in referral.history] == [
        ("suggested", D),
        ("arrived", D + dt.timedelta(days=9)),
    ]
    assert [(m.text, m.done) for m in report.reminders] == [("Kita-Platz", None)]
    assert [line.action for line in report.log] == ["consent_withdrawn"]
    assert "Otto" not in str(report) and "fremde" not in str(report)


def test_writing_the_report_is_logged_by_code(api: VaultAPI, vault: Vault, tmp_path: Path) -> None:
    family = _family(api)
    out = tmp_path / "auskunft.json"
    assert api.access_report.write(family, out) == "json"
    data = json.loads(out.read_text("utf-8"))
    assert data["format"] == "lotse.access-report/1"
    assert data["person"][0] == {"label": "Name", "value": "Nora Beispiel"}
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    with vault.session() as s:
        logged = s.scalars(
            select(AuditEntry.details).where(AuditEntry.action == "access_report")
        ).all()
    assert logged == [{"family": data["code"], "format": "json"}]
    # The next report lists the first one in the family's log.
    assert [line.action for line in api.access_report.build(family).log] == ["access_report"]


def test_an_unknown_format_is_refused_before_anything_is_written(
    api: VaultAPI, vault: Vault, tmp_path: Path
) -> None:
    family = _family(api)
    with pytest.raises(BadInputError, match=r"\.pdf oder \.json"):
        api.access_report.write(family, tmp_path / "auskunft.txt")
    assert not (tmp_path / "auskunft.txt").exists()
    with vault.session() as s:
        assert s.scalars(select(AuditEntry).where(AuditEntry.action == "access_report")).all() == []


def test_an_anonymous_family_gets_a_report_without_personal_data(api: VaultAPI) -> None:
    family = api.families.record_first_contact(FamilyInput(adults=1), ContactInput(date=D))
    report = api.access_report.build(family.family_id)
    assert report.person == () and report.consents == ()
    assert len(report.contacts) == 1
