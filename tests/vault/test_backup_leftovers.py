"""A backup killed halfway leaves temporary files; the next backup to that name removes them."""

from __future__ import annotations

from pathlib import Path

from lotse.vault import Vault
from lotse.vault.backup import backup_vault


def test_the_next_backup_removes_what_a_killed_one_left(vault: Vault, tmp_path: Path) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()
    left = [
        folder / ".sicherung.lotse-backup.0a1b2c3d.db.tmp",
        folder / ".sicherung.lotse-backup.0a1b2c3d.db.tmp-journal",
        folder / ".sicherung.lotse-backup.0a1b2c3d.tmp",
        folder / "..sicherung.lotse-backup.0a1b2c3d.tmp.9f8e7d6c.verify.tmp",
    ]
    other = folder / ".andere.lotse-backup.0a1b2c3d.tmp"  # another backup's: left alone
    for path in [*left, other]:
        path.write_bytes(b"\0" * 4096)
    backup_vault(vault, folder / "sicherung.lotse-backup")
    assert sorted(p.name for p in folder.iterdir()) == [
        ".andere.lotse-backup.0a1b2c3d.tmp",
        "sicherung.lotse-backup",
    ]
