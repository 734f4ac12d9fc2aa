"""Backup and restore on real vault files: one encrypted file, verified, restored as it was."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from lotse.db.models import AuditEntry, Child, Contact, Family
from lotse.errors import BadInputError, VaultDamagedError, WrongPassphraseError
from lotse.records.exporter import export_records
from lotse.vault import backup, create_vault, erasures, open_vault
from lotse.vault import header as hdr
from lotse.vault.state import VaultRollbackError
from lotse.vault.vault import DB_NAME, RESTORING_NAME
from tests.conftest import PASSPHRASE

SECRET = "Quastelbeck"


def _fill(vault, codes: list[str]) -> None:
    with vault.transaction() as s:
        for n, code in enumerate(codes):
            family = Family(code=code, adults=2, person_name=f"{SECRET} {n}", notes="Notiz")
            family.children = [Child(birth_date=dt.date(2020, 1, 1 + n))]
            family.contacts = [Contact(date=dt.date(2026, 3, 1), kind="first_contact")]
            s.add(family)


def _codes(folder: Path, passphrase: str = PASSPHRASE) -> list[str]:
    with open_vault(folder, passphrase) as v, v.session() as s:
        return list(s.scalars(select(Family.code).order_by(Family.code)))


def _erase(vault, code: str) -> None:
    """Erase a family the way family deletion must: list first, then delete."""
    erasures.record_erasure(vault, code)
    with vault.transaction() as s:
        s.delete(s.scalar(select(Family).where(Family.code == code)))


@pytest.fixture
def filled(vault_dir: Path):
    v = create_vault(vault_dir, PASSPHRASE)
    _fill(v, ["F-2026-0001", "F-2026-0002", "F-2026-0003"])
    return v


def test_backup_then_restore_gives_the_same_export(filled, vault_dir, tmp_path: Path) -> None:
    export_records(filled, tmp_path / "before.jsonl")
    info = backup.backup_vault(filled, tmp_path / "copy.lotse")
    filled.close()
    assert info.families == 3
    result = backup.restore_backup(tmp_path / "copy.lotse", tmp_path / "restored", PASSPHRASE)
    assert result.moved_aside is None
    with open_vault(tmp_path / "restored", PASSPHRASE) as v:
        export_records(v, tmp_path / "after.jsonl")
    before = (tmp_path / "before.jsonl").read_bytes()
    assert SECRET.encode() in before
    assert (tmp_path / "after.jsonl").read_bytes() == before


def test_backup_is_one_encrypted_file_and_leaves_nothing_else(filled, tmp_path: Path) -> None:
    target_dir = tmp_path / "stick"
    target_dir.mkdir()
    backup.backup_vault(filled, target_dir / "copy.lotse")
    assert [p.name for p in target_dir.iterdir()] == ["copy.lotse"]
    data = (target_dir / "copy.lotse").read_bytes()
    assert data.startswith(b"lotse.backup/1\n")
    assert SECRET.encode() not in data and SECRET.encode("utf-16-le") not in data
    assert b"F-2026-0001" not in data
    assert oct((target_dir / "copy.lotse").stat().st_mode & 0o777) == "0o600"


def test_backup_is_verified_and_opens_with_its_passphrase(filled, tmp_path: Path) -> None:
    backup.backup_vault(filled, tmp_path / "copy.lotse")
    info = backup.verify_backup(tmp_path / "copy.lotse", PASSPHRASE)
    assert (info.families, info.vault_id) == (3, filled.vault_id)
    with pytest.raises(WrongPassphraseError):
        backup.verify_backup(tmp_path / "copy.lotse", "Eine ganz andere Passphrase")
    filled.close()


@pytest.mark.parametrize("where", ["metadata", "database", "end"])
def test_changed_backup_is_refused_and_nothing_is_written(
    filled, tmp_path: Path, where: str
) -> None:
    path = tmp_path / "copy.lotse"
    backup.backup_vault(filled, path)
    filled.close()
    data = bytearray(path.read_bytes())
    offset = {"metadata": 200, "database": len(data) // 2, "end": len(data) - 1}[where]
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(VaultDamagedError):
        backup.verify_backup(path, PASSPHRASE)
    target = tmp_path / "restored"
    with pytest.raises(VaultDamagedError) as err:
        backup.restore_backup(path, target, PASSPHRASE)
    assert err.value.exit_code == 4
    assert not target.exists() or [p.name for p in target.iterdir()] == ["lotse.lock"]


def test_not_a_backup_and_wrong_passphrase(filled, tmp_path: Path) -> None:
    backup.backup_vault(filled, tmp_path / "copy.lotse")
    filled.close()
    (tmp_path / "notes.txt").write_text("just notes")
    with pytest.raises(BadInputError, match="keine Lotse-Sicherung"):
        backup.restore_backup(tmp_path / "notes.txt", tmp_path / "r", PASSPHRASE)
    with pytest.raises(WrongPassphraseError, match="als sie geschrieben wurde"):
        backup.restore_backup(tmp_path / "copy.lotse", tmp_path / "r", "Passphrase ganz anders 9")
    assert not (tmp_path / "r" / DB_NAME).exists()


def test_backup_refuses_a_target_in_a_vault_folder(filled, vault_dir: Path) -> None:
    with pytest.raises(BadInputError, match="Tresor-Ordner"):
        backup.backup_vault(filled, vault_dir / "copy.lotse")
    filled.close()


def test_restore_refuses_a_folder_with_other_files(filled, tmp_path: Path) -> None:
    backup.backup_vault(filled, tmp_path / "copy.lotse")
    filled.close()
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "mine.txt").write_text("keep me")
    with pytest.raises(BadInputError, match="nicht leer"):
        backup.restore_backup(tmp_path / "copy.lotse", busy, PASSPHRASE)
    assert sorted(p.name for p in busy.iterdir()) == ["lotse.lock", "mine.txt"]


def test_restore_refuses_a_folder_with_another_vault(filled, tmp_path: Path) -> None:
    backup.backup_vault(filled, tmp_path / "copy.lotse")
    filled.close()
    create_vault(tmp_path / "other", PASSPHRASE).close()
    before = (tmp_path / "other" / DB_NAME).read_bytes()
    with pytest.raises(BadInputError, match="anderen Tresor"):
        backup.restore_backup(tmp_path / "copy.lotse", tmp_path / "other", PASSPHRASE)
    assert (tmp_path / "other" / DB_NAME).read_bytes() == before


def test_restore_in_place_moves_the_old_files_aside_and_raises_the_generation(
    filled, vault_dir: Path, tmp_path: Path
) -> None:
    backup.backup_vault(filled, tmp_path / "copy.lotse")
    _fill(filled, ["F-2026-0004"])
    filled.close()
    result = backup.restore_backup(tmp_path / "copy.lotse", vault_dir, PASSPHRASE)
    assert result.generation == 2
    assert result.moved_aside is not None and result.moved_aside.parent == vault_dir
    assert (result.moved_aside / DB_NAME).is_file()
    assert _codes(vault_dir) == ["F-2026-0001", "F-2026-0002", "F-2026-0003"]
    state = json.loads((vault_dir / hdr.HEADER_NAME).read_text())["state"]
    assert (state["generation"], state["clean"]) == (2, True)
    # The database from before the restore, put back under the new header, is refused.
    shutil.copy2(result.moved_aside / DB_NAME, vault_dir / DB_NAME)
    with pytest.raises(VaultRollbackError, match="Generation 1"):
        open_vault(vault_dir, PASSPHRASE)


def test_restore_is_logged(filled, tmp_path: Path) -> None:
    backup.backup_vault(filled, tmp_path / "copy.lotse")
    filled.close()
    backup.restore_backup(tmp_path / "copy.lotse", tmp_path / "r", PASSPHRASE)
    with open_vault(tmp_path / "r", PASSPHRASE) as v, v.session() as s:
        entries = s.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    restored = [e for e in entries if e.action == "vault_restored"]
    assert len(restored) == 1
    assert restored[0].details["generation"] == 2
    assert restored[0].details["erased_again"] == 0


def test_erased_family_stays_erased_after_restore_in_place(
    filled, vault_dir: Path, tmp_path: Path
) -> None:
    backup.backup_vault(filled, tmp_path / "copy.lotse")
    _erase(filled, "F-2026-0002")
    filled.close()
    result = backup.restore_backup(tmp_path / "copy.lotse", vault_dir, PASSPHRASE)
    assert result.erased_again == 1
    assert _codes(vault_dir) == ["F-2026-0001", "F-2026-0003"]
    with open_vault(vault_dir, PASSPHRASE) as v, v.session() as s:
        assert s.scalar(select(Child.id).where(Child.family_id == 2)) is None
    # … and the list goes on: a later restore of the same backup erases it again.
    again = backup.restore_backup(tmp_path / "copy.lotse", vault_dir, PASSPHRASE)
    assert again.erased_again == 1
    assert _codes(vault_dir) == ["F-2026-0001", "F-2026-0003"]


def test_erased_family_stays_erased_in_a_new_folder_with_the_copied_list(
    filled, vault_dir: Path, tmp_path: Path
) -> None:
    backup.backup_vault(filled, tmp_path / "copy.lotse")
    _erase(filled, "F-2026-0003")
    filled.close()
    new = tmp_path / "new-laptop"
    new.mkdir()
    shutil.copy2(vault_dir / erasures.ERASED_NAME, new / erasures.ERASED_NAME)
    result = backup.restore_backup(tmp_path / "copy.lotse", new, PASSPHRASE)
    assert result.erased_again == 1
    assert _codes(new) == ["F-2026-0001", "F-2026-0002"]


def test_a_shortened_erased_list_is_reported(filled, vault_dir: Path, tmp_path: Path) -> None:
    backup.backup_vault(filled, tmp_path / "copy.lotse")
    _erase(filled, "F-2026-0001")
    _erase(filled, "F-2026-0002")
    filled.close()
    path = vault_dir / erasures.ERASED_NAME
    data = json.loads(path.read_text())
    data["erased"] = data["erased"][:1]
    path.write_text(json.dumps(data))
    result = backup.restore_backup(tmp_path / "copy.lotse", vault_dir, PASSPHRASE)
    assert result.erased_list_doubtful
    assert result.erased_again == 1


def test_last_backup_is_kept_in_the_vault(filled, tmp_path: Path) -> None:
    assert backup.last_backup(filled) is None
    assert backup.backup_is_due(None)
    before = dt.datetime.now(dt.UTC)
    backup.backup_vault(filled, tmp_path / "copy.lotse")
    when = backup.last_backup(filled)
    assert when is not None and before - dt.timedelta(seconds=1) <= when <= dt.datetime.now(dt.UTC)
    assert not backup.backup_is_due(when, 7)
    assert backup.backup_is_due(when, 7, now=when + dt.timedelta(days=7))
    filled.close()


def test_backup_opens_with_the_passphrase_it_was_made_with(filled, tmp_path: Path) -> None:
    backup.backup_vault(filled, tmp_path / "copy.lotse")
    filled.change_passphrase(PASSPHRASE, "Eine ganz neue Passphrase")
    filled.close()
    with pytest.raises(WrongPassphraseError):
        backup.restore_backup(tmp_path / "copy.lotse", tmp_path / "r", "Eine ganz neue Passphrase")
    backup.restore_backup(tmp_path / "copy.lotse", tmp_path / "r", PASSPHRASE)
    assert len(_codes(tmp_path / "r")) == 3


def test_interrupted_restore_is_named_and_redone(filled, tmp_path: Path) -> None:
    backup.backup_vault(filled, tmp_path / "copy.lotse")
    filled.close()
    target = tmp_path / "r"
    target.mkdir()
    (target / RESTORING_NAME).touch()  # as if a restore had died half-way
    (target / DB_NAME).write_bytes(os.urandom(4096))
    from lotse.errors import NotAVaultError

    (target / hdr.HEADER_NAME).write_text("{}")
    with pytest.raises(NotAVaultError, match="Wiederherstellung"):
        open_vault(target, PASSPHRASE)
    backup.restore_backup(tmp_path / "copy.lotse", target, PASSPHRASE)
    assert not (target / RESTORING_NAME).exists()
    assert len(_codes(target)) == 3
