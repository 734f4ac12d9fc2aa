"""Erasure on request through the use cases: every record, listed, logged by code."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lotse.db.models import AuditEntry, Consent, Contact, Family, Referral, Reminder
from lotse.errors import BadInputError
from lotse.stats.period import parse_period
from lotse.usecases import ContactInput, FamilyInput, ReferralInput, ReminderInput, VaultAPI
from lotse.vault import Vault, backup
from tests.conftest import PASSPHRASE, documented

D = dt.date(2026, 3, 2)


def _family(api: VaultAPI, name: str) -> int:
    family = api.families.record_first_contact(
        FamilyInput(person_name=name, consents=documented()),
        ContactInput(date=D, notes="Notiz"),
        [ReferralInput(D, "midwife")],
    ).family_id
    api.followups.add_reminder(family, ReminderInput(D, "Rückruf"))
    return family


def _count(vault: Vault, model: type) -> int:
    with vault.session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_erase_by_code_or_records_id_takes_every_record(api: VaultAPI, vault: Vault) -> None:
    family = _family(api, "Nora Test")
    other = _family(api, "Olga Test")
    code = api.families.get(family).code
    assert api.erasure.find(code).id == family
    assert api.erasure.find(f"  {code} ").id == family
    with pytest.raises(BadInputError, match="gibt es in diesem Tresor nicht"):
        api.erasure.find("F-1999-0001")
    preview = api.erasure.preview(family)
    assert (preview.contacts, preview.referrals, preview.reminders, preview.consents) == (
        1,
        1,
        1,
        1,
    )
    api.erasure.erase(family)
    assert [row.id for row in api.families.rows()] == [other]
    for model in (Family, Contact, Referral, Reminder, Consent):
        assert _count(vault, model) == 1, model
    with vault.session() as s:
        [details] = s.scalars(
            select(AuditEntry.details).where(AuditEntry.action == "family_erased")
        ).all()
    assert details == {
        "family": code,
        "reason": "request",
        "contacts": 1,
        "referrals": 1,
        "reminders": 1,
        "consents": 1,
    }


def test_the_windows_delete_is_an_erasure_too(api: VaultAPI, vault: Vault) -> None:
    family = _family(api, "Nora Test")
    code = api.families.get(family).code
    api.families.delete(family)
    with vault.session() as s:
        logged = s.scalars(
            select(AuditEntry.details).where(AuditEntry.action == "family_erased")
        ).all()
    assert [d["family"] for d in logged] == [code]
    assert "Nora" not in str(logged)


def test_an_older_backup_put_back_does_not_bring_an_erased_family_back(
    api: VaultAPI, vault: Vault, tmp_path: Path
) -> None:
    family = _family(api, "Nora Test")
    copy = tmp_path / "before.lotsebackup"
    backup.backup_vault(vault, copy)
    api.erasure.erase(family)
    folder = vault.folder
    api.close()
    restored = tmp_path / "restored"
    shutil.copytree(folder, restored)
    result = backup.restore_backup(copy, restored, PASSPHRASE)
    assert result.erased_again == 1
    with VaultAPI.open(restored, PASSPHRASE) as again:
        assert again.families.rows() == []


def test_a_closed_periods_figures_survive_an_erasure(api: VaultAPI) -> None:
    family = _family(api, "Nora Test")
    q1 = parse_period("2026-Q1")
    api.statistics.close_period(q1, dt.date(2026, 6, 1))
    before = api.statistics.figures(q1).figures
    api.erasure.erase(family)
    assert api.statistics.figures(q1).figures == before
    assert before.totals["families_reached"] == 1
