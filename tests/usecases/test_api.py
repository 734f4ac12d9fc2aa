"""The API as a whole: plain data out, one session per call, closed means closed."""

from __future__ import annotations

import dataclasses
import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from lotse.db.models import Base, Setting
from lotse.errors import LotseError, WrongPassphraseError
from lotse.options import SETTINGS_VERSION, VERSION_KEY
from lotse.usecases import ContactInput, FamilyInput, ReferralInput, ReminderInput, VaultAPI
from lotse.vault import Vault, open_vault
from tests.conftest import PASSPHRASE, documented

D = dt.date(2026, 3, 2)


def _orm_inside(value: Any, seen: set[int] | None = None) -> list[Any]:
    """Every ORM object reachable from ``value`` through dataclasses and containers."""
    seen = seen if seen is not None else set()
    if id(value) in seen:
        return []
    seen.add(id(value))
    if isinstance(value, Base):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        items: list[Any] = [getattr(value, f.name) for f in dataclasses.fields(value)]
    elif isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    elif isinstance(value, list | tuple | set | frozenset):
        items = list(value)
    else:
        return []
    return [orm for item in items for orm in _orm_inside(item, seen)]


def _family(api: VaultAPI) -> int:
    created = api.families.record_first_contact(
        FamilyInput(
            adults=2,
            person_name="Anna Schäfer",
            children=[dt.date(2024, 1, 5)],
            consents=documented(),
        ),
        ContactInput(date=D, minutes=30, topics=["finances"]),
        [ReferralInput(date=D, target="jobcenter")],
    )
    api.followups.add_reminder(created.family_id, ReminderInput(D, "Rückruf"))
    return created.family_id


def test_every_read_returns_plain_data(api: VaultAPI) -> None:
    family_id = _family(api)
    offer = api.groups.create_offer("Elterncafé", "parent_cafe", None)
    api.groups.record_session(offer, D, 90, 3, 4)
    referral_id = api.families.timeline(family_id)[1].ref_id
    results = [
        api.families.rows(),
        api.families.get(family_id),
        api.families.page(family_id),
        api.families.timeline(family_id),
        api.followups.status_history(referral_id),
        api.today.lists(D),
        api.groups.offers(),
        api.groups.sessions(offer),
        api.settings.form(),
        api.settings.window(),
    ]
    for result in results:
        assert _orm_inside(result) == [], result
    page = api.families.page(family_id)
    assert page.family.data.children == [dt.date(2024, 1, 5)]
    assert [e.title for e in page.timeline][:2] == [
        "Wiedervorlage: Rückruf",
        "Vermittlung an Jobcenter",
    ]
    with pytest.raises(dataclasses.FrozenInstanceError):
        page.family.code = "F-0"  # type: ignore[misc]


def test_use_cases_run_on_another_thread(api: VaultAPI) -> None:
    family_id = _family(api)
    with ThreadPoolExecutor(max_workers=1) as pool:
        rows = pool.submit(api.families.rows).result()
        contact = ContactInput(date=D, kind="phone")
        pool.submit(api.followups.add_contact, family_id, contact).result()
    assert [r.id for r in rows] == [family_id]
    assert [e.title for e in api.families.timeline(family_id)].count("Telefonberatung") == 1


def test_a_closed_api_refuses_every_use_case(vault_dir: Path, api: VaultAPI) -> None:
    api.close()
    assert api.closed
    with pytest.raises(LotseError, match="gesperrt"):
        api.families.rows()
    with pytest.raises(LotseError, match="gesperrt"):
        api.groups.create_offer("Elterncafé")
    api.close()  # a second close is harmless
    # The lock is released: the vault opens again.
    with VaultAPI.open(vault_dir, PASSPHRASE) as again:
        assert again.families.rows() == []


def test_open_with_a_wrong_passphrase(vault_dir: Path, api: VaultAPI) -> None:
    api.close()
    with pytest.raises(WrongPassphraseError):
        VaultAPI.open(vault_dir, "not the passphrase at all")


def test_create_makes_an_empty_vault(tmp_path: Path) -> None:
    from lotse.crypto import kdf

    with VaultAPI.create(tmp_path / "new", PASSPHRASE, params=kdf.TEST_PARAMS) as api:
        assert api.families.rows() == []
        assert len(api.vault_id) > 10
        assert api.folder == tmp_path / "new"


def _setting_rows(vault: Vault) -> dict[str, Any]:
    with vault.session() as session:
        return {row.key: row.value for row in session.scalars(select(Setting))}


def test_opening_stores_settings_of_an_older_lotse_upgraded(vault_dir: Path, vault: Vault) -> None:
    # As an older Lotse wrote them: no version, the window's save skipped the rules.
    with vault.transaction() as session:
        session.add(Setting(key="organisation", value="Stadt\nBottrop"))
        session.add(Setting(key="language", value="xx"))
        session.add(Setting(key="sites", value=[["kanal", "Klinik am Kanal"]]))  # the policy's now
        session.add(Setting(key="lock_after_minutes", value=12))
    vault.close()

    with VaultAPI.open(vault_dir, PASSPHRASE):
        pass  # opened, nothing asked or written

    with open_vault(vault_dir, PASSPHRASE) as reopened:
        assert _setting_rows(reopened) == {
            "organisation": "Stadt Bottrop",
            "lock_after_minutes": 12,
            VERSION_KEY: SETTINGS_VERSION,
        }


def test_opening_leaves_current_settings_alone(vault_dir: Path, api: VaultAPI) -> None:
    api.settings.save({"organisation": "Stadt Bottrop"})
    api.close()
    with open_vault(vault_dir, PASSPHRASE) as vault:
        before = _setting_rows(vault)
    VaultAPI.open(vault_dir, PASSPHRASE).close()
    with open_vault(vault_dir, PASSPHRASE) as vault:
        assert _setting_rows(vault) == before
    assert before == {"organisation": "Stadt Bottrop", VERSION_KEY: SETTINGS_VERSION}
