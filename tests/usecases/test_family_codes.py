"""Family codes come from a counter kept in the vault: a deleted family's code never returns."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lotse.usecases import ContactInput, FamilyInput, VaultAPI
from lotse.vault import Vault, open_vault
from tests.conftest import PASSPHRASE, documented

DAY = dt.date(2026, 3, 2)


def _first(api: VaultAPI, name: str = "") -> str:
    return api.families.record_first_contact(
        FamilyInput(person_name=name, consents=documented()), ContactInput(date=DAY)
    ).code


def test_a_deleted_familys_code_is_never_given_again(api: VaultAPI) -> None:
    codes = [_first(api, n) for n in ("Eins", "Zwei", "Drei")]
    assert codes == ["F-2026-0001", "F-2026-0002", "F-2026-0003"]
    by_code = {row.code: row.id for row in api.families.rows()}
    # The newest one too: before the counter, the next family got its code again.
    api.families.delete(by_code["F-2026-0003"])
    api.families.delete(by_code["F-2026-0002"])
    assert _first(api, "Vier") == "F-2026-0004"


def test_the_counter_survives_closing_and_unlocking(vault: Vault, vault_dir: Path) -> None:

    api = VaultAPI(vault)
    _first(api)
    api.families.delete(api.families.rows()[0].id)
    api.close()
    with VaultAPI(open_vault(vault_dir, PASSPHRASE)) as again:
        assert _first(again) == "F-2026-0002"


def test_import_takes_numbers_from_the_counter_and_never_a_deleted_code(
    api: VaultAPI, tmp_path: Path
) -> None:
    _first(api, "Eins")
    _first(api, "Zwei")
    api.families.delete(next(r.id for r in api.families.rows() if r.code == "F-2026-0002"))
    # A file from another laptop whose family carries the deleted code, and one without a
    # code: neither gets F-2026-0002 (the file's id stays the external reference).
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"format": "lotse.records/1"}\n'
        '{"type": "family", "id": "F-2026-0002", "adults": 1, "children": []}\n'
        '{"type": "family", "id": "f-x", "adults": 1, "children": []}\n'
        '{"type": "family", "id": "F-2026-0009", "adults": 1, "children": []}\n',
        encoding="utf-8",
    )
    api.records.import_file(source)
    codes = sorted(row.code for row in api.families.rows())
    assert "F-2026-0002" not in codes
    # A code this vault never handed out is kept (a move between laptops keeps codes) ...
    assert "F-2026-0009" in codes
    assert codes == ["F-2026-0001", "F-2026-0003", "F-2026-0004", "F-2026-0009"]
    # ... and the counter moved past every imported number: deleting them all changes nothing.
    for row in api.families.rows():
        api.families.delete(row.id)
    assert _first(api) == "F-2026-0010"
