"""Drafts through the API: kept in the encrypted vault, listed, read back, discarded."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest

from lotse.errors import BadInputError
from lotse.usecases import ContactInput, FamilyInput, VaultAPI
from lotse.vault import Vault, open_vault
from tests.conftest import PASSPHRASE, documented


def _family(api: VaultAPI, name: str) -> int:
    return api.families.record_first_contact(
        FamilyInput(person_name=name, consents=documented()), ContactInput(date=dt.date(2026, 3, 2))
    ).family_id


def test_a_draft_survives_locking_and_is_listed_newest_first(vault: Vault, vault_dir: Path) -> None:
    api = VaultAPI(vault)
    family_id = _family(api, "Anna Schäfer")
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    assert api.drafts.save(first, "first_contact", {"name": "Zeynep Kaya", "adults": 2})
    assert api.drafts.save(second, "contact", {"notes": "Rückruf"}, family_id=family_id)
    api.drafts.save(first, "first_contact", {"name": "Zeynep Kaya", "adults": 3})
    api.close()
    with VaultAPI(open_vault(vault_dir, PASSPHRASE)) as again:
        listed = again.drafts.list()
        assert [d.id for d in listed] == [first, second]
        assert listed[0].name == "Zeynep Kaya" and listed[0].family_code is None
        assert (listed[1].family_code, listed[1].name) == ("F-2026-0001", "Anna Schäfer")
        assert again.drafts.get(first).state == {"name": "Zeynep Kaya", "adults": 3}
        again.drafts.discard(first)
        assert [d.id for d in again.drafts.list()] == [second]


def test_a_draft_is_never_in_a_file_in_plain_form(api: VaultAPI, vault_dir: Path) -> None:
    api.drafts.save(str(uuid.uuid4()), "first_contact", {"name": "Unverwechselbar Xylophon"})
    api.close()
    for path in vault_dir.rglob("*"):
        if path.is_file():
            assert b"Xylophon" not in path.read_bytes(), path


def test_a_familys_drafts_go_with_the_family(api: VaultAPI) -> None:
    family_id = _family(api, "Anna")
    draft = str(uuid.uuid4())
    api.drafts.save(draft, "reminder", {"text": "anrufen"}, family_id=family_id)
    api.families.delete(family_id)
    assert api.drafts.list() == []
    # A form still open on the deleted family keeps typing: nothing is stored.
    assert api.drafts.save(draft, "reminder", {"text": "x"}, family_id=family_id) is False
    assert api.drafts.list() == []


def test_the_view_at_the_lock_is_read_back_once(api: VaultAPI) -> None:
    draft = str(uuid.uuid4())
    api.drafts.save(draft, "first_contact", {"name": "A"})
    api.drafts.save_view({"tab": 1, "family": 7, "search": "Kaya"})
    resumed = api.drafts.resume()
    assert resumed.view == {"tab": 1, "family": 7, "search": "Kaya"}
    assert [d.id for d in resumed.drafts] == [draft]  # the view is not a draft
    assert api.drafts.resume().view == {}


@pytest.mark.parametrize(
    ("draft_id", "kind", "state"),
    [
        ("", "first_contact", {}),
        ("view", "first_contact", {}),
        ("x" * 37, "first_contact", {}),
        ("a", "passwort", {}),
        ("a", "contact", {"n": "x" * 70_000}),
        ("a", "contact", {"n": {1, 2}}),
    ],
)
def test_bad_drafts_are_refused(api: VaultAPI, draft_id: str, kind: str, state: dict) -> None:
    with pytest.raises(BadInputError):
        api.drafts.save(draft_id, kind, state)
    assert api.drafts.list() == []
