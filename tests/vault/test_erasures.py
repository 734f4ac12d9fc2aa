"""The list of erased families on real vault files: keyed hashes only, sealed by a MAC."""

from __future__ import annotations

import json
from pathlib import Path

from lotse.vault import create_vault, erasures, open_vault
from tests.conftest import PASSPHRASE


def _list_key(vault) -> bytes:
    with vault.session() as s:
        key = erasures.list_key(s)
    assert key is not None
    return key


def test_a_new_vault_has_its_list_key_and_no_list(vault) -> None:
    assert len(_list_key(vault)) == 32
    assert not (vault.folder / erasures.ERASED_NAME).exists()


def test_recorded_code_is_on_the_list_only_as_a_keyed_hash(vault) -> None:
    erasures.record_erasure(vault, "F-2026-0042")
    raw = (vault.folder / erasures.ERASED_NAME).read_text()
    assert "F-2026-0042" not in raw and "0042" not in raw
    data = json.loads(raw)
    assert data["format"] == "lotse.erased/1" and data["vault_id"] == vault.vault_id
    key = _list_key(vault)
    assert [e["hash"] for e in data["erased"]] == [erasures.code_hash(key, "F-2026-0042")]
    listed = erasures.read_file(vault.folder / erasures.ERASED_NAME, key, vault.vault_id)
    assert listed.intact
    assert oct((vault.folder / erasures.ERASED_NAME).stat().st_mode & 0o777) == "0o600"


def test_recording_twice_keeps_one_entry(vault) -> None:
    erasures.record_erasure(vault, "F-2026-0001")
    erasures.record_erasure(vault, "F-2026-0001")
    erasures.record_erasure(vault, "F-2026-0002")
    data = json.loads((vault.folder / erasures.ERASED_NAME).read_text())
    assert len(data["erased"]) == 2


def test_hashes_differ_between_vaults(tmp_path: Path) -> None:
    a = create_vault(tmp_path / "a", PASSPHRASE)
    b = create_vault(tmp_path / "b", PASSPHRASE)
    assert erasures.code_hash(_list_key(a), "F-2026-0001") != erasures.code_hash(
        _list_key(b), "F-2026-0001"
    )
    a.close()
    b.close()


def test_a_removed_entry_breaks_the_mac(vault) -> None:
    erasures.record_erasure(vault, "F-2026-0001")
    erasures.record_erasure(vault, "F-2026-0002")
    path = vault.folder / erasures.ERASED_NAME
    data = json.loads(path.read_text())
    data["erased"].pop()
    path.write_text(json.dumps(data))
    listed = erasures.read_file(path, _list_key(vault), vault.vault_id)
    assert not listed.intact
    assert len(listed.entries) == 1


def test_a_damaged_list_is_rewritten_by_the_next_erasure(vault) -> None:
    path = vault.folder / erasures.ERASED_NAME
    path.write_text("not json")
    erasures.record_erasure(vault, "F-2026-0003")
    listed = erasures.read_file(path, _list_key(vault), vault.vault_id)
    assert listed.intact and len(listed.entries) == 1


def test_the_list_key_survives_closing_and_opening(vault_dir: Path) -> None:
    v = create_vault(vault_dir, PASSPHRASE)
    key = _list_key(v)
    v.close()
    with open_vault(vault_dir, PASSPHRASE) as v:
        assert _list_key(v) == key


def test_recorded_inside_the_deleting_transaction(vault) -> None:
    from sqlalchemy import select

    from lotse.db.models import Family

    with vault.transaction() as s:
        s.add(Family(code="F-2026-0007", adults=1))
    with vault.transaction() as s:
        family = s.scalar(select(Family).where(Family.code == "F-2026-0007"))
        erasures.record_erasure(vault, family.code, s)
        s.delete(family)
    listed = erasures.read_file(
        vault.folder / erasures.ERASED_NAME, _list_key(vault), vault.vault_id
    )
    assert erasures.code_hash(_list_key(vault), "F-2026-0007") in listed.entries
